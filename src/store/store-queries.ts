import type { Model, QueryFilter } from 'mongoose';

/** A window of a list in `_id` order (creation order). */
export interface PageWindow {
  skip: number;
  limit: number;
  order: 1 | -1;
}

export interface FoundPage<T> {
  docs: T[];
  /** Every document the filter matches (not only the page). */
  total: number;
}

/** One page and the count of the whole filter, sent together. MongoDB's way, and the default. */
export async function findPage<T>(model: Model<T>, filter: QueryFilter<T>, w: PageWindow): Promise<FoundPage<T>> {
  const [docs, total] = await Promise.all([
    model.find(filter).sort({ _id: w.order }).skip(w.skip).limit(w.limit).lean<T[]>(),
    model.countDocuments(filter),
  ]);
  return { docs, total };
}

/** `field` holding any of `values`, with MongoDB's `$in` (one value: plain equality). */
export function anyOfFilter<T>(filter: QueryFilter<T>, field: string, values: readonly string[]): QueryFilter<T> {
  return { ...filter, [field]: values.length === 1 ? values[0] : { $in: [...values] } } as QueryFilter<T>;
}

/**
 * The same page as `findPage(anyOfFilter(...))`, asked as one equality query per value and merged
 * by `_id`: for stores that serve equality from an index but scan for `$in` (FerretDB 1.24).
 * Costs two queries per value, each reading that value's matches.
 */
export async function findPageByEqualityUnion<T>(model: Model<T>, filter: QueryFilter<T>, field: string, values: readonly string[], w: PageWindow): Promise<FoundPage<T>> {
  const each = (v: string) => ({ ...filter, [field]: v }) as QueryFilter<T>;
  const [pages, idLists] = await Promise.all([
    Promise.all(values.map((v) => model.find(each(v)).sort({ _id: w.order }).limit(w.skip + w.limit).lean<T[]>())),
    Promise.all(values.map((v) => model.find(each(v), { _id: 1 }).lean<Array<{ _id: unknown }>>())),
  ]);
  const byId = new Map<string, T>();
  for (const doc of pages.flat()) byId.set(String((doc as { _id: unknown })._id), doc);
  // ObjectId hex strings of one length sort like the ids themselves.
  const ids = [...byId.keys()].sort();
  if (w.order === -1) ids.reverse();
  const docs = ids.slice(w.skip, w.skip + w.limit).map((id) => byId.get(id)!);
  const total = new Set(idLists.flat().map((d) => String(d._id))).size;
  return { docs, total };
}

/** Every document matching `filter` whose `field` holds any of `values`, one equality query per value. */
export async function findByEqualityUnion<T>(model: Model<T>, filter: QueryFilter<T>, field: string, values: readonly string[], projection?: Record<string, 0 | 1>): Promise<T[]> {
  const lists = await Promise.all(values.map((v) => model.find({ ...filter, [field]: v } as QueryFilter<T>, projection).lean<T[]>()));
  const byId = new Map<string, T>();
  for (const doc of lists.flat()) byId.set(String((doc as { _id: unknown })._id), doc);
  return [...byId.values()];
}
