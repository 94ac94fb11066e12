import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter, UpdateQuery } from 'mongoose';
import { StoreAdapter } from '../store/store-adapter';
import type { PageWindow } from '../store/store-queries';
import type { ContactFilter, ContactView } from './contact.types';
import { nameTokens, searchTokens } from './contact-name-tokens';
import { Contact } from './schemas/contact.schema';

export type NewContact = Omit<Contact, 'clientIdentifier' | 'createdAt' | 'updatedAt' | 'nameTokens'>;
export type ContactChange = Partial<Pick<Contact, 'customName' | 'platform' | 'tagIds' | 'contactIdentifier' | 'isIgnored' | 'nameTokens'>>;

type ContactDoc = Contact & { _id: unknown };

export function toContactView(doc: ContactDoc): ContactView {
  const view: ContactView = {
    id: String(doc._id),
    clientIdentifier: doc.clientIdentifier,
    channelId: doc.channelId,
    contactIdentifier: doc.contactIdentifier,
    type: doc.type,
    channelType: doc.channelType,
    tagIds: doc.tagIds ?? [],
    isIgnored: doc.isIgnored ?? false,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
  if (doc.name !== undefined) view.name = doc.name;
  if (doc.customName !== undefined) view.customName = doc.customName;
  if (doc.photo !== undefined) view.photo = doc.photo;
  if (doc.platform !== undefined) view.platform = doc.platform;
  return view;
}

/**
 * The MongoDB filter of a contact list, all by equality so an index serves it on both stores
 * (exported so the benchmark runs the very same query through the driver). Several tags with
 * `any` are `$in` (ContactsRepository.list lets the adapter run them as it serves best). Several
 * words, or several tags with `all`: the first by top-level equality (the one the embedded store
 * filters in SQL), the others under `$and`.
 */
export function contactListFilter(clientIdentifier: string, f: ContactFilter): QueryFilter<Contact> {
  const filter: QueryFilter<Contact> = { clientIdentifier };
  const and: QueryFilter<Contact>[] = [];
  if (f.channelId) filter.channelId = f.channelId;
  if (f.type) filter.type = f.type;
  if (f.channelType) filter.channelType = f.channelType;
  if (f.contactIdentifier) filter.contactIdentifier = f.contactIdentifier;
  if (f.tagIds?.length && (f.tagIds.length === 1 || f.tagMatch === 'all')) {
    filter.tagIds = f.tagIds[0];
    and.push(...f.tagIds.slice(1).map((t) => ({ tagIds: t })));
  } else if (f.tagIds?.length) filter.tagIds = { $in: f.tagIds };
  if (f.name) {
    // Longest word first: the most selective token is the one filtered by the index.
    const [first, ...rest] = searchTokens(f.name).sort((a, b) => b.length - a.length);
    if (first !== undefined) {
      filter.nameTokens = first;
      and.push(...rest.map((t) => ({ nameTokens: t })));
    }
  }
  if (and.length > 0) filter.$and = and;
  return filter;
}

/**
 * The contacts collection. Every method takes clientIdentifier first and every filter carries it
 * (by-id access included: `{ _id, clientIdentifier }`). Single-document writes go through
 * StoreAdapter.serialize under `contacts:<id>`, since every update of a document is a
 * read-then-write on the embedded store; MongoDB applies each atomically.
 */
@Injectable()
export class ContactsRepository {
  constructor(
    @InjectModel(Contact.name) private readonly model: Model<Contact>,
    private readonly store: StoreAdapter,
  ) {}

  private scoped(clientIdentifier: string, filter: QueryFilter<Contact> = {}): QueryFilter<Contact> {
    return { ...filter, clientIdentifier };
  }

  /** Throws the driver's unique violation when the identifier is taken in the channel. */
  async insert(clientIdentifier: string, contact: NewContact): Promise<ContactView> {
    const doc = await this.store.retryTransient(() => this.model.create({ ...contact, clientIdentifier, nameTokens: nameTokens(contact.name, contact.customName) }));
    return toContactView(doc.toObject());
  }

  async findById(clientIdentifier: string, id: string): Promise<ContactView | undefined> {
    const doc = await this.model.findOne(this.scoped(clientIdentifier, { _id: id })).lean();
    return doc ? toContactView(doc) : undefined;
  }

  async findByIdentifier(clientIdentifier: string, channelId: string, contactIdentifier: string): Promise<ContactView | undefined> {
    const doc = await this.model.findOne(this.scoped(clientIdentifier, { channelId, contactIdentifier })).lean();
    return doc ? toContactView(doc) : undefined;
  }

  /** One page in creation order, and the count of the whole filter. */
  async list(clientIdentifier: string, f: ContactFilter, window: PageWindow): Promise<{ data: ContactView[]; total: number }> {
    const anyOf = f.tagIds && f.tagIds.length > 1 && f.tagMatch !== 'all' ? f.tagIds : undefined;
    const { docs, total } = anyOf
      ? await this.store.findPageAnyOf(this.model, contactListFilter(clientIdentifier, { ...f, tagIds: undefined }), 'tagIds', anyOf, window)
      : await this.store.findPage(this.model, contactListFilter(clientIdentifier, f), window);
    return { data: (docs as ContactDoc[]).map(toContactView), total };
  }

  /**
   * Returns the contact after the change, or undefined when it does not exist in the account.
   * A change of customName carries the recomputed nameTokens (name is set once, at creation).
   */
  async update(clientIdentifier: string, id: string, set: ContactChange, unset: Array<'platform' | 'customName'> = []): Promise<ContactView | undefined> {
    const update: UpdateQuery<Contact> = {};
    if (Object.keys(set).length > 0) update.$set = set;
    if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((k) => [k, '']));
    return this.modify(clientIdentifier, id, update);
  }

  addTags(clientIdentifier: string, id: string, tagIds: string[]): Promise<ContactView | undefined> {
    return this.modify(clientIdentifier, id, { $addToSet: { tagIds: { $each: tagIds } } });
  }

  /** $pullAll: FerretDB ignores `$pull` with `$in`, exact-value removal works on both. */
  removeTags(clientIdentifier: string, id: string, tagIds: string[]): Promise<ContactView | undefined> {
    return this.modify(clientIdentifier, id, { $pullAll: { tagIds } });
  }

  /** A deleted tag leaves every contact of the account. */
  pullTagEverywhere(clientIdentifier: string, tagId: string): Promise<number> {
    const holders = this.scoped(clientIdentifier, { tagIds: tagId });
    return this.store.updateEach({
      keyOf: (id) => `contacts:${id}`,
      ids: () => this.idsOf(holders),
      one: (id) => this.model.updateOne({ ...holders, _id: id }, { $pullAll: { tagIds: [tagId] } }),
      many: async () => (await this.model.updateMany(holders, { $pullAll: { tagIds: [tagId] } })).modifiedCount,
    });
  }

  /** A removed platform endpoint: contacts pinned to it fall back to the starting platform. */
  unsetPlatform(clientIdentifier: string, channelId: string, slug: string): Promise<number> {
    const pinned = this.scoped(clientIdentifier, { channelId, platform: slug });
    return this.store.updateEach({
      keyOf: (id) => `contacts:${id}`,
      ids: () => this.idsOf(pinned),
      one: (id) => this.model.updateOne({ ...pinned, _id: id }, { $unset: { platform: '' } }),
      many: async () => (await this.model.updateMany(pinned, { $unset: { platform: '' } })).modifiedCount,
    });
  }

  /** True when this call removed it (false: not in the account, or another delete won). */
  async delete(clientIdentifier: string, id: string): Promise<boolean> {
    const res = await this.store.serialize(`contacts:${id}`, () => this.store.retryTransient(() => this.model.deleteOne(this.scoped(clientIdentifier, { _id: id }))));
    return res.deletedCount === 1;
  }

  async deleteByChannel(clientIdentifier: string, channelId: string): Promise<number> {
    const res = await this.store.retryTransient(() => this.model.deleteMany(this.scoped(clientIdentifier, { channelId })));
    return res.deletedCount;
  }

  private async idsOf(filter: QueryFilter<Contact>): Promise<string[]> {
    const docs = await this.model.find(filter, { _id: 1 }).lean();
    return docs.map((d) => String(d._id));
  }

  /** A guarded findOneAndUpdate (the account in the filter); no projection, which FerretDB refuses there. */
  private async modify(clientIdentifier: string, id: string, update: UpdateQuery<Contact>): Promise<ContactView | undefined> {
    const doc = await this.store.serialize(`contacts:${id}`, () =>
      this.model.findOneAndUpdate(this.scoped(clientIdentifier, { _id: id }), update, { returnDocument: 'after' }).lean(),
    );
    return doc ? toContactView(doc) : undefined;
  }
}
