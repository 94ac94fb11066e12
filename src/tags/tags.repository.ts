import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter } from 'mongoose';
import { StoreAdapter } from '../store/store-adapter';
import { Tag } from './schemas/tag.schema';
import { escapeRegex, tagNameKey } from './tag-name';

export interface TagView {
  id: string;
  clientIdentifier: string;
  name: string;
  color: string;
  createdAt: Date;
  updatedAt: Date;
}

type TagDoc = Tag & { _id: unknown };

function toView(doc: TagDoc): TagView {
  return {
    id: String(doc._id),
    clientIdentifier: doc.clientIdentifier,
    name: doc.name,
    color: doc.color,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

/** The tags collection. Every method takes clientIdentifier first and filters by it. */
@Injectable()
export class TagsRepository {
  constructor(
    @InjectModel(Tag.name) private readonly model: Model<Tag>,
    private readonly store: StoreAdapter,
  ) {}

  private scoped(clientIdentifier: string, filter: QueryFilter<Tag> = {}): QueryFilter<Tag> {
    return { ...filter, clientIdentifier };
  }

  /** Throws the driver's unique violation when the name is taken (reported on insert by MongoDB and FerretDB). */
  async insert(clientIdentifier: string, tag: Pick<Tag, 'name' | 'nameKey' | 'color'>): Promise<TagView> {
    const doc = await this.store.retryTransient(() => this.model.create({ ...tag, clientIdentifier }));
    return toView(doc.toObject());
  }

  async findById(clientIdentifier: string, id: string): Promise<TagView | undefined> {
    const doc = await this.model.findOne(this.scoped(clientIdentifier, { _id: id })).lean();
    return doc ? toView(doc) : undefined;
  }

  /** The account's tags among `ids`, in name order. */
  async findByIds(clientIdentifier: string, ids: readonly string[]): Promise<TagView[]> {
    if (ids.length === 0) return [];
    const docs = await this.store.findAnyOf(this.model, this.scoped(clientIdentifier), '_id', ids);
    return (docs as TagDoc[]).sort((a, b) => (a.nameKey < b.nameKey ? -1 : a.nameKey > b.nameKey ? 1 : 0)).map(toView);
  }

  /** Ids among `ids` that are tags of the account (one light query: only _id comes back). */
  async existingIds(clientIdentifier: string, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const docs = await this.store.findAnyOf(this.model, this.scoped(clientIdentifier), '_id', ids, { _id: 1 });
    return new Set(docs.map((d) => String((d as TagDoc)._id)));
  }

  async findIdByNameKey(clientIdentifier: string, nameKey: string): Promise<string | undefined> {
    const doc = await this.model.findOne(this.scoped(clientIdentifier, { nameKey }), { _id: 1 }).lean();
    return doc ? String(doc._id) : undefined;
  }

  /** Name order; `nameContains` matches case-insensitively anywhere in the name. */
  async list(clientIdentifier: string, nameContains?: string): Promise<TagView[]> {
    const filter = nameContains ? { nameKey: { $regex: escapeRegex(tagNameKey(nameContains)) } } : {};
    const docs = await this.model.find(this.scoped(clientIdentifier, filter)).sort({ nameKey: 1 }).lean();
    return docs.map(toView);
  }

  async update(clientIdentifier: string, id: string, set: Partial<Pick<Tag, 'name' | 'nameKey' | 'color'>>): Promise<TagView | undefined> {
    // No projection: FerretDB refuses one on findOneAndUpdate. Whole-document writes: serialised per tag.
    const doc = await this.store.serialize(`tags:${id}`, () =>
      this.model.findOneAndUpdate(this.scoped(clientIdentifier, { _id: id }), { $set: set }, { returnDocument: 'after' }).lean(),
    );
    return doc ? toView(doc) : undefined;
  }

  async delete(clientIdentifier: string, id: string): Promise<boolean> {
    const res = await this.store.retryTransient(() => this.model.deleteOne(this.scoped(clientIdentifier, { _id: id })));
    return res.deletedCount === 1;
  }
}
