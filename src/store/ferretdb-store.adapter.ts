import type { Model, QueryFilter } from 'mongoose';
import { Batcher } from './batcher';
import { GroupCommitOptions, StoreAdapter, StoreIdentity, UniqueConflict, UniqueUpdate } from './store-adapter';
import { findByEqualityUnion, findPageByEqualityUnion, FoundPage, PageWindow } from './store-queries';
import { StoreLock } from './store-lock';
import { retryWhileBusy } from './transient-retry';
import { withWriteTimeout } from './write-timeout';

/** Values up to which an any-of list runs one indexed equality query per value (beyond: one scan). */
export const MAX_EQUALITY_UNION = 10;
/**
 * Longest a serialised write may hold its key. FerretDB has been seen to lose a reply (nothing in
 * flight in the database, the driver waiting for ever); a lock held that long would block the
 * document for every process. After this the write fails (StoreWriteTimeoutError) and the key is
 * released; the write may still land, which is the one case a concurrent writer could be undone.
 */
export const MAX_HOLD_MS = 20_000;
/** How long a write that scans the collection gathers items before it runs... */
export const SCAN_LINGER_MS = 200;
/** ...and at least this many times as long as the last such write took (so the database is busy ≤ 1/(1+4) of the time). */
export const SCAN_LINGER_FACTOR = 4;
/** Documents updated at once by updateEach. */
const UPDATE_EACH_CONCURRENCY = 8;

/**
 * FerretDB 1.24 (SQLite or PostgreSQL backend). Its updates are read-then-write in Go without
 * isolation and it does not report unique violations from updates, so: state-dependent writes
 * take a lock per document (`lock`: held in Redis across processes), updates of unique fields
 * check for a holder first (under the unique value's lock), and SQLite's busy answers are retried.
 */
export class FerretDbStoreAdapter extends StoreAdapter {
  constructor(
    readonly identity: StoreIdentity,
    private readonly lock: StoreLock,
    private readonly maxHoldMs = MAX_HOLD_MS,
  ) {
    super();
  }

  serialize<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.lock.run(key, () => withWriteTimeout(key, this.maxHoldMs, this.retryTransient(fn)));
  }

  retryTransient<T>(fn: () => Promise<T>): Promise<T> {
    return retryWhileBusy(fn);
  }

  uniqueUpdate<T>(update: UniqueUpdate<T>): Promise<T> {
    return this.lock.run(`unique:${update.key}`, async () => {
      if (await update.taken()) throw new UniqueConflict(update.key);
      return withWriteTimeout(update.key, this.maxHoldMs, this.retryTransient(update.write));
    });
  }

  async updateEach(update: { keyOf: (id: string) => string; ids: () => Promise<string[]>; one: (id: string) => Promise<unknown> }): Promise<number> {
    const ids = await update.ids();
    for (let i = 0; i < ids.length; i += UPDATE_EACH_CONCURRENCY)
      await Promise.all(ids.slice(i, i + UPDATE_EACH_CONCURRENCY).map((id) => this.serialize(update.keyOf(id), () => update.one(id))));
    return ids.length;
  }

  /** A write of many ids is one pass over the collection here: gather for a while before it. */
  override groupCommit<I, R>(write: (items: I[]) => Promise<(R | Error)[]>, options: GroupCommitOptions = {}): Batcher<I, R> {
    if (!options.scansCollection) return super.groupCommit(write, options);
    return new Batcher<I, R>((items) => this.retryTransient(() => write(items)), options.maxBatch ?? 500, SCAN_LINGER_MS, SCAN_LINGER_FACTOR);
  }

  /** FerretDB filters `$in` in Go over every candidate; equality on one value is served by an index. */
  override findPageAnyOf<T>(model: Model<T>, filter: QueryFilter<T>, field: string, values: readonly string[], window: PageWindow): Promise<FoundPage<T>> {
    if (values.length < 2 || values.length > MAX_EQUALITY_UNION) return super.findPageAnyOf(model, filter, field, values, window);
    return findPageByEqualityUnion(model, filter, field, values, window);
  }

  override findAnyOf<T>(model: Model<T>, filter: QueryFilter<T>, field: string, values: readonly string[], projection?: Record<string, 0 | 1>): Promise<T[]> {
    if (values.length < 2 || values.length > MAX_EQUALITY_UNION) return super.findAnyOf(model, filter, field, values, projection);
    return findByEqualityUnion(model, filter, field, [...new Set(values)], projection);
  }
}
