import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter } from 'mongoose';
import { escapeRegex } from '../tags/tag-name';
import type { ContactFilter, ContactView } from './contact.types';
import { Contact } from './schemas/contact.schema';

export type NewContact = Omit<Contact, 'clientIdentifier' | 'createdAt' | 'updatedAt'>;
export type ContactChange = Partial<Pick<Contact, 'customName' | 'platform' | 'tagIds' | 'contactIdentifier' | 'isIgnored' | 'name'>>;

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

/** The MongoDB filter of a contact list (exported so the benchmark runs the very same query through the driver). */
export function contactListFilter(clientIdentifier: string, f: ContactFilter): QueryFilter<Contact> {
  const filter: QueryFilter<Contact> = { clientIdentifier };
  if (f.channelId) filter.channelId = f.channelId;
  if (f.type) filter.type = f.type;
  if (f.channelType) filter.channelType = f.channelType;
  if (f.contactIdentifier) filter.contactIdentifier = f.contactIdentifier;
  if (f.tagIds?.length) filter.tagIds = f.tagIds.length === 1 ? f.tagIds[0] : f.tagMatch === 'all' ? { $all: f.tagIds } : { $in: f.tagIds };
  if (f.name) {
    const re = { $regex: escapeRegex(f.name), $options: 'i' };
    filter.$or = [{ name: re }, { customName: re }];
  }
  return filter;
}

/**
 * The contacts collection. Every method takes clientIdentifier first; list and lookup filters
 * carry it. Access by id is the exception, on purpose: FerretDB pushes a filter down to SQLite
 * only when it is `{ _id }` alone, and with any other field it decodes and tests every contact of
 * every account in Go (measured at 110,000 contacts: about 15x slower). So by-id methods read
 * `{ _id }` and check the account on the document before returning or writing anything; since a
 * contact's clientIdentifier never changes, a write by `_id` after that check stays in the account.
 * On MongoDB both forms use the _id index.
 */
@Injectable()
export class ContactsRepository {
  constructor(@InjectModel(Contact.name) private readonly model: Model<Contact>) {}

  private scoped(clientIdentifier: string, filter: QueryFilter<Contact> = {}): QueryFilter<Contact> {
    return { ...filter, clientIdentifier };
  }

  /** Throws the driver's unique violation when the identifier is taken in the channel. */
  async insert(clientIdentifier: string, contact: NewContact): Promise<ContactView> {
    const doc = await this.model.create({ ...contact, clientIdentifier });
    return toContactView(doc.toObject());
  }

  async findById(clientIdentifier: string, id: string): Promise<ContactView | undefined> {
    const doc = await this.model.findOne({ _id: id }).lean();
    return doc && doc.clientIdentifier === clientIdentifier ? toContactView(doc) : undefined;
  }

  async findByIdentifier(clientIdentifier: string, channelId: string, contactIdentifier: string): Promise<ContactView | undefined> {
    const doc = await this.model.findOne(this.scoped(clientIdentifier, { channelId, contactIdentifier })).lean();
    return doc ? toContactView(doc) : undefined;
  }

  /** One page in creation order, and the count of the whole filter (two queries, sent together). */
  async list(clientIdentifier: string, f: ContactFilter, skip: number, limit: number, order: 1 | -1): Promise<{ data: ContactView[]; total: number }> {
    const filter = contactListFilter(clientIdentifier, f);
    const [docs, total] = await Promise.all([
      this.model.find(filter).sort({ _id: order }).skip(skip).limit(limit).lean(),
      this.model.countDocuments(filter),
    ]);
    return { data: docs.map(toContactView), total };
  }

  /** Returns the contact after the change, or undefined when it does not exist in the account. */
  async update(clientIdentifier: string, id: string, set: ContactChange, unset: Array<'platform' | 'customName'> = []): Promise<ContactView | undefined> {
    const update: Record<string, unknown> = {};
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
  async pullTagEverywhere(clientIdentifier: string, tagId: string): Promise<number> {
    const res = await this.model.updateMany(this.scoped(clientIdentifier, { tagIds: tagId }), { $pullAll: { tagIds: [tagId] } });
    return res.modifiedCount;
  }

  /** A removed platform endpoint: contacts pinned to it fall back to the starting platform. */
  async unsetPlatform(clientIdentifier: string, channelId: string, slug: string): Promise<number> {
    const res = await this.model.updateMany(this.scoped(clientIdentifier, { channelId, platform: slug }), { $unset: { platform: '' } });
    return res.modifiedCount;
  }

  async deleteByChannel(clientIdentifier: string, channelId: string): Promise<number> {
    const res = await this.model.deleteMany(this.scoped(clientIdentifier, { channelId }));
    return res.deletedCount;
  }

  /** True when the contact exists and belongs to the account (an `_id`-only read: see the class comment). */
  private async owns(clientIdentifier: string, id: string): Promise<boolean> {
    const doc = await this.model.findOne({ _id: id }, { clientIdentifier: 1 }).lean();
    return doc?.clientIdentifier === clientIdentifier;
  }

  private async modify(clientIdentifier: string, id: string, update: Record<string, unknown>): Promise<ContactView | undefined> {
    if (!(await this.owns(clientIdentifier, id))) return undefined;
    // No projection: FerretDB's findAndModify fails when one is present.
    const doc = await this.model.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' }).lean();
    return doc && doc.clientIdentifier === clientIdentifier ? toContactView(doc) : undefined;
  }
}
