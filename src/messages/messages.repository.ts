import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter, isValidObjectId } from 'mongoose';
import { OBJECT_ID_PATTERN } from '../common/validation/parse-object-id.pipe';
import { KeyedLock } from './keyed-lock';
import { MessageStatus, MessageView, OutboundMessage, OutboundSpec, statusesBefore } from './message.types';
import { Message } from './schemas/message.schema';

export type { MessageDirection, MessageKind, MessageStatus, MessageView } from './message.types';

type MessageDoc = Message & { _id: unknown; createdAt: Date; updatedAt: Date };
type NewInbound = Omit<MessageView, 'id' | 'createdAt' | 'updatedAt' | 'clientIdentifier' | 'direction'>;
export type NewOutbound = Omit<MessageView, 'id' | 'createdAt' | 'updatedAt' | 'clientIdentifier' | 'direction' | 'status' | 'fromMe' | 'waMessageId'> & {
  outbound: OutboundSpec;
  idempotencyKey?: string;
};

function toView(doc: MessageDoc): OutboundMessage {
  const { _id, waKey: _w, idemKey: _i, __v: _v, outbound, ...rest } = doc as MessageDoc & { __v?: number };
  return { id: String(_id), ...(rest as unknown as Omit<MessageView, 'id'>), outbound: outbound ?? { op: 'send' } };
}

/** The public shape: what the worker needs stays inside. */
export function publicView(message: MessageView): MessageView {
  const { outbound: _o, ...view } = message as OutboundMessage;
  return view;
}

const waKey = (channelId: string, waMessageId: string) => `${channelId}:${waMessageId}`;
export type HistoryScope =
  | { conversationId: string; chat: { channelId: string; chatId: string; from?: Date; to?: Date } }
  | { contactId: string; chat: { channelId: string; chatId: string; from?: Date; to?: Date } };

const isDuplicate = (err: unknown) => (err as { code?: number })?.code === 11000;
const isUniqueViolation = (err: unknown) => isDuplicate(err) || /UNIQUE constraint failed/.test(String((err as Error)?.message));

/** The messages collection. Every method on account data takes clientIdentifier first and filters by it. */
@Injectable()
export class MessagesRepository implements OnModuleInit {
  /**
   * Every update of a stored message runs under its channel's lock. FerretDB applies an update by
   * reading the document and writing it back whole, so two concurrent updates of one document (the
   * send worker recording a WhatsApp id while the inbound pipeline applies its ack) can lose one
   * of them. Both writers run in the process owning the channel's session, so this lock is enough.
   */
  private readonly writes = new KeyedLock();

  constructor(@InjectModel(Message.name) private readonly model: Model<Message>) {}

  /** The unique indexes decide races: they must exist before the first write, not soon after. */
  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  /**
   * Unique on channelId + waMessageId: a duplicate returns the stored one with created=false. A message we
   * sent ourselves (fromMe) that WhatsApp echoes while our send is in flight is attached to our outbound
   * record instead of being stored twice.
   */
  async insertInbound(clientIdentifier: string, doc: NewInbound): Promise<{ message: MessageView; created: boolean }> {
    if (doc.waMessageId) {
      const existing = await this.findByWaId(clientIdentifier, doc.channelId, doc.waMessageId);
      if (existing) return { message: existing, created: false };
      if (doc.fromMe) {
        const adopted = await this.adoptEcho(clientIdentifier, doc);
        if (adopted) return { message: adopted, created: false };
      }
    }
    try {
      const created = await this.model.create({
        ...doc,
        clientIdentifier,
        direction: doc.fromMe ? 'outbound' : 'inbound',
        waKey: doc.waMessageId ? waKey(doc.channelId, doc.waMessageId) : undefined,
      });
      return { message: publicView(toView(created.toObject() as MessageDoc)), created: true };
    } catch (err) {
      if (!isDuplicate(err) || !doc.waMessageId) throw err;
      const existing = await this.findByWaId(clientIdentifier, doc.channelId, doc.waMessageId);
      if (!existing) throw err;
      return { message: existing, created: false };
    }
  }

  /** Our record of a send in flight on this chat with the same content, given the WhatsApp id the echo carries. */
  private adoptEcho(clientIdentifier: string, doc: NewInbound): Promise<MessageView | undefined> {
    return this.writes.run(doc.channelId, () => this.adoptEchoNow(clientIdentifier, doc));
  }

  private async adoptEchoNow(clientIdentifier: string, doc: NewInbound): Promise<MessageView | undefined> {
    if (!doc.waMessageId) return undefined;
    const filter: QueryFilter<Message> = {
      clientIdentifier,
      channelId: doc.channelId,
      chatId: doc.chatId,
      direction: 'outbound',
      outbound: { $exists: true },
      // `sent` without an id: a forward (whatsapp-web.js's forward() returns nothing).
      status: { $in: ['sending', 'sent'] },
      updatedAt: { $gte: new Date(Date.now() - 120_000) },
    };
    // Several contact cards go out as one WhatsApp message each: every echo belongs to the one record.
    const card = doc.kind === 'contacts' ? doc.vcards?.[0] : undefined;
    if (card !== undefined) filter.vcards = card;
    else {
      filter.waMessageId = { $exists: false };
      if (doc.body !== undefined) filter.body = doc.body;
      else if (doc.caption !== undefined) filter.caption = doc.caption;
    }
    const candidate = await this.model.findOne(filter).sort({ createdAt: 1 }).lean<MessageDoc>();
    if (!candidate) return undefined;
    const view = toView(candidate);
    if (candidate.waMessageId) {
      if (candidate.waMessageId !== doc.waMessageId)
        await this.model.updateOne({ _id: candidate._id }, { $addToSet: { 'outbound.extraWaMessageIds': doc.waMessageId } });
      return publicView(view);
    }
    const res = await this.model.updateOne(
      { _id: candidate._id, waMessageId: { $exists: false } },
      { $set: { waMessageId: doc.waMessageId, waKey: waKey(doc.channelId, doc.waMessageId) } },
    );
    if (res.modifiedCount === 0) return undefined;
    return publicView({ ...view, waMessageId: doc.waMessageId });
  }

  /** Stores an API send before anything else. A repeated Idempotency-Key returns the first one (created=false). */
  async insertOutbound(clientIdentifier: string, doc: NewOutbound): Promise<{ message: OutboundMessage; created: boolean }> {
    const { idempotencyKey, ...fields } = doc;
    const now = new Date();
    try {
      const created = await this.model.create({
        ...fields,
        clientIdentifier,
        direction: 'outbound',
        fromMe: true,
        status: 'queued',
        statusTimes: { queued: now },
        idemKey: idempotencyKey ? `${clientIdentifier}:${idempotencyKey}` : undefined,
      });
      return { message: toView(created.toObject() as MessageDoc), created: true };
    } catch (err) {
      if (!isDuplicate(err) || !idempotencyKey) throw err;
      const existing = await this.findByIdempotencyKey(clientIdentifier, idempotencyKey);
      if (!existing) throw err;
      return { message: existing, created: false };
    }
  }

  async findById(clientIdentifier: string, id: string): Promise<OutboundMessage | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const doc = await this.model.findOne({ _id: id, clientIdentifier }).lean<MessageDoc>();
    return doc ? toView(doc) : undefined;
  }

  async findByWaId(clientIdentifier: string, channelId: string, waMessageId: string): Promise<OutboundMessage | undefined> {
    const doc = await this.model.findOne({ clientIdentifier, waKey: waKey(channelId, waMessageId) }).lean<MessageDoc>();
    return doc ? toView(doc) : undefined;
  }

  /** A message named by our id or by its WhatsApp id, in any channel of the account. */
  async findByReference(clientIdentifier: string, ref: string, channelId?: string): Promise<OutboundMessage[]> {
    const filter: QueryFilter<Message> = OBJECT_ID_PATTERN.test(ref) ? { clientIdentifier, _id: ref } : { clientIdentifier, waMessageId: ref };
    if (channelId) filter.channelId = channelId;
    const docs = await this.model.find(filter).limit(10).lean<MessageDoc[]>();
    return docs.map(toView);
  }

  async findByIdempotencyKey(clientIdentifier: string, key: string): Promise<OutboundMessage | undefined> {
    const doc = await this.model.findOne({ clientIdentifier, idemKey: `${clientIdentifier}:${key}` }).lean<MessageDoc>();
    return doc ? toView(doc) : undefined;
  }

  /** Status only moves forward (sent < delivered < read < played); undefined when unknown or no change. */
  async applyAck(clientIdentifier: string, channelId: string, waMessageId: string, status: MessageStatus): Promise<MessageView | undefined> {
    const moved = await this.advance(clientIdentifier, channelId, { waMessageId }, status);
    return moved ? publicView(moved.message) : undefined;
  }

  /**
   * Moves a message's status forward, atomically against concurrent acks (per channel in this process:
   * see KeyedLock for why). Returns the updated message and
   * the status it left, or undefined when the message is unknown or already at or past `to`.
   */
  advance(
    clientIdentifier: string,
    channelId: string,
    match: { id: string } | { waMessageId: string },
    to: MessageStatus,
    set: Record<string, unknown> = {},
  ): Promise<{ message: OutboundMessage; previous: MessageStatus } | undefined> {
    return this.writes.run(channelId, () => this.advanceNow(clientIdentifier, channelId, match, to, set));
  }

  private async advanceNow(
    clientIdentifier: string,
    channelId: string,
    match: { id: string } | { waMessageId: string },
    to: MessageStatus,
    set: Record<string, unknown>,
  ): Promise<{ message: OutboundMessage; previous: MessageStatus } | undefined> {
    const key = 'id' in match ? { _id: match.id, channelId } : { waKey: waKey(channelId, match.waMessageId) };
    if ('id' in match && !isValidObjectId(match.id)) return undefined;
    const now = new Date();
    const update: Record<string, unknown> = { $set: { ...set, status: to, [`statusTimes.${to}`]: now } };
    if (to !== 'failed') (update as { $unset?: object }).$unset = { statusReason: 1 };
    const before = await this.model
      .findOneAndUpdate({ ...key, clientIdentifier, status: { $in: statusesBefore(to) } }, update, { returnDocument: 'before' })
      .lean<MessageDoc>();
    if (!before) return undefined;
    // The document after the update, without reading it again (every write of the channel holds the lock).
    const after: MessageDoc = { ...before, ...(set as Partial<MessageDoc>), status: to, statusTimes: { ...before.statusTimes, [to]: now }, updatedAt: now };
    if (to !== 'failed') delete after.statusReason;
    return { message: toView(after), previous: before.status as MessageStatus };
  }

  /** queued → sending, just before the engine is called; false when the message is no longer queued. */
  claimForSending(clientIdentifier: string, channelId: string, id: string, attempts: number): Promise<boolean> {
    return this.writes.run(channelId, async () => {
      const res = await this.model.updateOne(
        { _id: id, clientIdentifier, channelId, status: 'queued' },
        { $set: { status: 'sending', 'outbound.attempts': attempts } },
      );
      return res.modifiedCount === 1;
    });
  }

  /** sending → queued: the attempt did not reach WhatsApp (session gone, worker stopping). */
  async releaseToQueue(clientIdentifier: string, channelId: string, id: string, reason: string): Promise<void> {
    await this.writes.run(channelId, () =>
      this.model.updateOne({ _id: id, clientIdentifier, channelId, status: 'sending' }, { $set: { status: 'queued', statusReason: reason } }),
    );
  }

  /**
   * After a send: WhatsApp's id and `sent`, in one write. When an ack already moved the message past
   * `sent` only the id is recorded (undefined is returned then). If the echo of the message was stored
   * as a message of its own (it did not match in time), that copy goes: the record the API returned
   * stays the one true copy. Unique violations from updates are E11000 on MongoDB and a plain error
   * naming the UNIQUE constraint on FerretDB.
   */
  markSent(
    clientIdentifier: string,
    channelId: string,
    id: string,
    waMessageId: string | undefined,
    set: Record<string, unknown> = {},
  ): Promise<{ message: OutboundMessage; previous: MessageStatus } | undefined> {
    return this.writes.run(channelId, async () => {
      const ids = waMessageId ? { waMessageId, waKey: waKey(channelId, waMessageId) } : {};
      const attempt = async () => {
        const moved = await this.advanceNow(clientIdentifier, channelId, { id }, 'sent', { ...set, ...ids });
        if (!moved && waMessageId) await this.model.updateOne({ _id: id, clientIdentifier }, { $set: { ...set, ...ids } });
        return moved;
      };
      try {
        return await attempt();
      } catch (err) {
        if (!waMessageId || !isUniqueViolation(err)) throw err;
        await this.model.deleteMany({ clientIdentifier, waKey: ids.waKey, _id: { $ne: id }, fromMe: true, outbound: { $exists: false } });
        return attempt();
      }
    });
  }

  /** Records WhatsApp's id on one of our messages without moving its status (tests, imports). */
  async recordSent(clientIdentifier: string, id: string, channelId: string, waMessageId: string, set: Record<string, unknown> = {}): Promise<void> {
    const ids = { waMessageId, waKey: waKey(channelId, waMessageId) };
    await this.writes.run(channelId, async () => {
      try {
        await this.model.updateOne({ _id: id, clientIdentifier }, { $set: { ...set, ...ids } });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        await this.model.deleteMany({ clientIdentifier, waKey: ids.waKey, _id: { $ne: id }, fromMe: true, outbound: { $exists: false } });
        await this.model.updateOne({ _id: id, clientIdentifier }, { $set: { ...set, ...ids } });
      }
    });
  }

  /** Extra WhatsApp ids of one stored message (one per contact card beyond the first). */
  async addExtraWaIds(clientIdentifier: string, channelId: string, id: string, waMessageIds: string[]): Promise<void> {
    if (waMessageIds.length === 0) return;
    await this.writes.run(channelId, () => this.model.updateOne({ _id: id, clientIdentifier }, { $addToSet: { 'outbound.extraWaMessageIds': { $each: waMessageIds } } }));
  }

  markRevoked(clientIdentifier: string, channelId: string, waMessageId: string, outcome: 'revoked' | 'deleted_for_me', by?: string): Promise<MessageView | undefined> {
    return this.writes.run(channelId, () => this.markRevokedNow(clientIdentifier, channelId, waMessageId, outcome, by));
  }

  private async markRevokedNow(clientIdentifier: string, channelId: string, waMessageId: string, outcome: 'revoked' | 'deleted_for_me', by?: string): Promise<MessageView | undefined> {
    const filter: QueryFilter<Message> = { clientIdentifier, waKey: waKey(channelId, waMessageId) };
    // A revoke for everyone wins over an earlier delete-for-me; the same outcome twice is no change.
    filter['revoked.outcome'] = outcome === 'revoked' ? { $ne: 'revoked' } : { $exists: false };
    const res = await this.model.updateOne(filter, { $set: { revoked: { at: new Date(), outcome, ...(by ? { by } : {}) } } });
    if (res.modifiedCount === 0) return undefined;
    return this.findByWaId(clientIdentifier, channelId, waMessageId).then((m) => m && publicView(m));
  }

  applyEdit(clientIdentifier: string, channelId: string, waMessageId: string, body: string): Promise<MessageView | undefined> {
    return this.writes.run(channelId, () => this.applyEditNow(clientIdentifier, channelId, waMessageId, body));
  }

  private async applyEditNow(clientIdentifier: string, channelId: string, waMessageId: string, body: string): Promise<MessageView | undefined> {
    const current = await this.findByWaId(clientIdentifier, channelId, waMessageId);
    if (!current) return undefined;
    const field = current.media && current.kind !== 'text' ? 'caption' : 'body';
    if (current[field] === body) return undefined;
    await this.model.updateOne(
      { _id: current.id, clientIdentifier },
      { $set: { [field]: body }, $push: { edits: { body: current[field] ?? '', at: new Date() } } },
    );
    return this.findById(clientIdentifier, current.id).then((m) => m && publicView(m));
  }

  /** One reaction per sender: a new emoji replaces the sender's previous one, '' removes it. */
  applyReaction(clientIdentifier: string, channelId: string, waMessageId: string, senderId: string, emoji: string): Promise<MessageView | undefined> {
    return this.writes.run(channelId, () => this.applyReactionNow(clientIdentifier, channelId, waMessageId, senderId, emoji));
  }

  private async applyReactionNow(clientIdentifier: string, channelId: string, waMessageId: string, senderId: string, emoji: string): Promise<MessageView | undefined> {
    const current = await this.findByWaId(clientIdentifier, channelId, waMessageId);
    if (!current) return undefined;
    const others = (current.reactions ?? []).filter((r) => r.senderId !== senderId);
    const previous = (current.reactions ?? []).find((r) => r.senderId === senderId);
    if ((previous?.emoji ?? '') === emoji) return undefined;
    // The whole array is rewritten: FerretDB's $pull only removes exact sub-document matches.
    const reactions = emoji ? [...others, { senderId, emoji, at: new Date() }] : others;
    await this.model.updateOne({ _id: current.id, clientIdentifier }, { $set: { reactions } });
    return this.findById(clientIdentifier, current.id).then((m) => m && publicView(m));
  }

  async setDelivery(clientIdentifier: string, messageId: string, delivery: MessageView['delivery']): Promise<void> {
    if (!isValidObjectId(messageId)) return;
    await this.model.updateOne({ _id: messageId, clientIdentifier }, delivery ? { $set: { delivery } } : { $unset: { delivery: 1 } });
  }

  /** Inbound messages whose delivery is still 'pending' (crash recovery), oldest first. System-level. */
  async findPendingDelivery(olderThan: Date, limit: number): Promise<MessageView[]> {
    const docs = await this.model
      .find({ 'delivery.state': 'pending', createdAt: { $lt: olderThan } })
      .sort({ createdAt: 1 })
      .limit(limit)
      .lean<MessageDoc[]>();
    return docs.map((d) => publicView(toView(d)));
  }

  async deleteByChannel(clientIdentifier: string, channelId: string): Promise<number> {
    const res = await this.model.deleteMany({ clientIdentifier, channelId });
    return res.deletedCount;
  }

  /**
   * Outbound messages of a channel left in `status` since before `olderThan` (created, for `queued`; last
   * touched, for `sending`), oldest first: the send sweeper's input. System-level.
   */
  async findOutboundInStatus(channelId: string, status: 'queued' | 'sending', olderThan: Date, limit: number): Promise<OutboundMessage[]> {
    const age = status === 'queued' ? { createdAt: { $lt: olderThan } } : { updatedAt: { $lt: olderThan } };
    const docs = await this.model
      .find({ channelId, status, direction: 'outbound', outbound: { $exists: true }, ...age })
      .sort({ createdAt: 1, _id: 1 })
      .limit(limit)
      .lean<MessageDoc[]>();
    return docs.map(toView);
  }

  /**
   * A page of history, newest first by default. A message belongs to the scope when it names the
   * conversation/contact, or when it is in the scope's chat (within its time span) and names none:
   * inbound messages stored before anyone linked them still show.
   */
  async history(clientIdentifier: string, scope: HistoryScope, window: { skip: number; limit: number; order: 1 | -1 }): Promise<{ data: MessageView[]; total: number }> {
    const chat: QueryFilter<Message> = { channelId: scope.chat.channelId, chatId: scope.chat.chatId };
    if (scope.chat.from || scope.chat.to) {
      chat.timestamp = { ...(scope.chat.from ? { $gte: scope.chat.from } : {}), ...(scope.chat.to ? { $lte: scope.chat.to } : {}) };
    }
    const byId: QueryFilter<Message> = 'conversationId' in scope ? { conversationId: scope.conversationId } : { contactId: scope.contactId };
    const unlinked: QueryFilter<Message> = 'conversationId' in scope ? { conversationId: { $exists: false } } : { contactId: { $exists: false } };
    const filter: QueryFilter<Message> = { clientIdentifier, $or: [byId, { ...chat, ...unlinked }] };
    const [docs, total] = await Promise.all([
      this.model.find(filter).sort({ timestamp: window.order, _id: window.order }).skip(window.skip).limit(window.limit).lean<MessageDoc[]>(),
      this.model.countDocuments(filter),
    ]);
    return { data: docs.map((d) => publicView(toView(d))), total };
  }
}
