import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter, isValidObjectId } from 'mongoose';
import { ConversationFilter, ConversationStatus, ConversationView } from './conversation.types';
import { Conversation } from './schemas/conversation.schema';
import { StoreAdapter } from '../store/store-adapter';

type ConversationDoc = Conversation & { _id: unknown; createdAt: Date; updatedAt: Date };
export type NewConversation = Omit<ConversationView, 'id' | 'sessionId' | 'clientIdentifier' | 'status' | 'endedAt' | 'createdAt' | 'updatedAt'> & { openKey: string };

function toView(doc: ConversationDoc): ConversationView {
  return {
    id: String(doc._id),
    sessionId: String(doc._id),
    clientIdentifier: doc.clientIdentifier,
    service: doc.service,
    channelId: doc.channelId,
    platformConfigId: doc.platformConfigId,
    contactId: doc.contactId,
    clientProviderId: doc.clientProviderId,
    chatId: doc.chatId,
    isGroup: doc.isGroup,
    platform: doc.platform,
    userName: doc.userName,
    companyName: doc.companyName,
    sessionWithPriority: doc.sessionWithPriority,
    status: doc.status as ConversationStatus,
    endedAt: doc.endedAt,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}


/** The conversations collection. Every method takes clientIdentifier first and filters by it. */
/** Another open conversation holds the openKey (the unique index refused the insert). */
class OpenConversationTaken extends Error {}

@Injectable()
export class ConversationsRepository implements OnModuleInit {
  constructor(
    @InjectModel(Conversation.name) private readonly model: Model<Conversation>,
    private readonly store: StoreAdapter,
  ) {}

  /** The unique indexes decide races: they must exist before the first write, not soon after. */
  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  /** Inserts an open conversation; `undefined` when another open one holds the same openKey (E11000). */
  async insertOpen(clientIdentifier: string, doc: NewConversation): Promise<ConversationView | undefined> {
    const created = await this.store
      .uniqueInsert(
        () => this.model.create({ ...doc, clientIdentifier, status: 'open' }),
        () => new OpenConversationTaken(),
      )
      .catch((err: unknown) => {
        if (err instanceof OpenConversationTaken) return undefined;
        throw err;
      });
    return created && toView(created.toObject() as ConversationDoc);
  }

  async findOpen(clientIdentifier: string, openKey: string): Promise<ConversationView | undefined> {
    const doc = await this.model.findOne({ clientIdentifier, openKey, status: 'open' }).lean<ConversationDoc>();
    return doc ? toView(doc) : undefined;
  }

  /** The oldest open conversation of a contact on a channel (any platform). */
  async findFirstOpen(clientIdentifier: string, channelId: string, contactId: string): Promise<ConversationView | undefined> {
    const doc = await this.model.findOne({ clientIdentifier, channelId, contactId, status: 'open' }).sort({ createdAt: 1 }).lean<ConversationDoc>();
    return doc ? toView(doc) : undefined;
  }

  async findById(clientIdentifier: string, id: string): Promise<ConversationView | undefined> {
    if (!isValidObjectId(id)) return undefined;
    // By _id alone (the only filter FerretDB serves from an index), the account checked here.
    const doc = await this.model.findOne({ _id: id }).lean<ConversationDoc>();
    return doc && doc.clientIdentifier === clientIdentifier ? toView(doc) : undefined;
  }

  /** open → ended; the openKey goes, so a new conversation may open. False when it was not open. */
  async end(clientIdentifier: string, id: string): Promise<boolean> {
    // A guarded move: of two racing ends, one wins (serialize makes that hold on FerretDB too).
    const res = await this.store.serialize(`conversations:${id}`, () =>
      this.model.updateOne({ _id: id, clientIdentifier, status: 'open' }, { $set: { status: 'ended', endedAt: new Date() }, $unset: { openKey: 1 } }),
    );
    return res.modifiedCount === 1;
  }

  async list(clientIdentifier: string, filter: ConversationFilter, skip: number, limit: number, order: 1 | -1): Promise<{ data: ConversationView[]; total: number }> {
    const query: QueryFilter<Conversation> = { clientIdentifier };
    if (filter.channelId) query.channelId = filter.channelId;
    if (filter.contactId) query.contactId = filter.contactId;
    if (filter.platform) query.platform = filter.platform;
    if (filter.status) query.status = filter.status;
    const [docs, total] = await Promise.all([
      this.model.find(query).sort({ createdAt: order, _id: order }).skip(skip).limit(limit).lean<ConversationDoc[]>(),
      this.model.countDocuments(query),
    ]);
    return { data: docs.map(toView), total };
  }

  /** Every conversation of a contact, open or ended. */
  async deleteByContact(clientIdentifier: string, contactId: string): Promise<number> {
    const res = await this.model.deleteMany({ clientIdentifier, contactId });
    return res.deletedCount;
  }

  async deleteByChannel(clientIdentifier: string, channelId: string): Promise<number> {
    const res = await this.model.deleteMany({ clientIdentifier, channelId });
    return res.deletedCount;
  }
}
