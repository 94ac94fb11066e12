import { BeforeApplicationShutdown, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter, Types, isValidObjectId } from 'mongoose';
import { OBJECT_ID_PATTERN } from '../common/validation/parse-object-id.pipe';
import { InFlightSends } from './in-flight-sends';
import { KeyedLock } from '../common/concurrency/keyed-lock';
import { MessageStatus, MessageView, OutboundMessage, OutboundSpec, statusesBefore } from './message.types';
import { MessageKey } from './schemas/message-key.schema';
import { Message } from './schemas/message.schema';
import { Batcher } from '../common/concurrency/batcher';
import { retryWhileBusy } from '../common/database/busy-retry';
import { insertManyReportingDuplicates } from '../common/database/insert-many';
import { isUniqueViolation } from '../common/database/unique-violation';

export type { MessageDirection, MessageKind, MessageStatus, MessageView } from './message.types';

type MessageDoc = Message & { _id: unknown; createdAt: Date; updatedAt: Date };
type NewInbound = Omit<MessageView, 'id' | 'createdAt' | 'updatedAt' | 'clientIdentifier' | 'direction'>;
export type NewOutbound = Omit<MessageView, 'id' | 'createdAt' | 'updatedAt' | 'clientIdentifier' | 'direction' | 'status' | 'fromMe' | 'waMessageId'> & {
  outbound: OutboundSpec;
  idempotencyKey?: string;
};
export type HistoryScope =
  | { conversationId: string; chat: { channelId: string; chatId: string; from?: Date; to?: Date } }
  | { contactId: string; chat: { channelId: string; chatId: string; from?: Date; to?: Date } };
type Moved = { message: OutboundMessage; previous: MessageStatus };

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
/** Idempotency keys live in message_keys too, prefixed so they can never meet a WhatsApp id. */
const idemKey = (clientIdentifier: string, key: string) => `idem:${clientIdentifier}:${key}`;
/** How long dispatched marks gather before one updateMany writes them. */
const DISPATCH_MARK_LINGER_MS = 200;
/** ...and at least 4x as long as the last such write took (it scans the collection on FerretDB). */
const LINGER_FACTOR = 4;

/**
 * The messages collection (and its WhatsApp-id lookup, message_keys). Every method on account data takes
 * clientIdentifier first and only ever returns or changes that account's messages.
 *
 * Two FerretDB facts shape it (and cost nothing on MongoDB):
 * - FerretDB on SQLite uses an index only when the filter is exactly `{ _id }`; anything else reads the
 *   whole collection. So documents are read and written by `_id` (the account and the conditions are
 *   checked in code), WhatsApp ids go through message_keys (`_id` = channelId:waMessageId).
 * - FerretDB applies an update by rewriting the whole document, and its read-then-write is not atomic.
 *   So every change to a channel's messages runs under the channel's lock. Both writers, the send worker
 *   and the inbound pipeline, run in the one process owning the channel's WhatsApp session.
 */
@Injectable()
export class MessagesRepository implements OnModuleInit, BeforeApplicationShutdown {
  private readonly writes = new KeyedLock();
  /** Our sends awaiting their WhatsApp id, so their echoes are recognised (see InFlightSends). */
  readonly inFlight = new InFlightSends();

  constructor(
    @InjectModel(Message.name) private readonly model: Model<Message>,
    @InjectModel(MessageKey.name) private readonly keys: Model<MessageKey>,
  ) {}

  /** The unique indexes decide races: they must exist before the first write, not soon after. */
  async onModuleInit(): Promise<void> {
    await Promise.all([this.model.init(), this.keys.init()]);
  }

  // ------------------------------------------------------------------------------------ reads

  async findById(clientIdentifier: string, id: string): Promise<OutboundMessage | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const doc = await this.model.findOne({ _id: id }).lean<MessageDoc>();
    return doc && doc.clientIdentifier === clientIdentifier ? toView(doc) : undefined;
  }

  async findByWaId(clientIdentifier: string, channelId: string, waMessageId: string): Promise<OutboundMessage | undefined> {
    const key = await this.keys.findOne({ _id: waKey(channelId, waMessageId) }).lean();
    if (!key || key.clientIdentifier !== clientIdentifier) return undefined;
    return this.findById(clientIdentifier, key.messageId);
  }

  /** A message named by our id or by its WhatsApp id, in any channel of the account (API lookups). */
  async findByReference(clientIdentifier: string, ref: string, channelId?: string): Promise<OutboundMessage[]> {
    if (OBJECT_ID_PATTERN.test(ref)) {
      const found = await this.findById(clientIdentifier, ref);
      return found && (!channelId || found.channelId === channelId) ? [found] : [];
    }
    if (channelId) {
      const found = await this.findByWaId(clientIdentifier, channelId, ref);
      return found ? [found] : [];
    }
    const docs = await this.model.find({ clientIdentifier, waMessageId: ref }).limit(10).lean<MessageDoc[]>();
    return docs.map(toView);
  }

  async findByIdempotencyKey(clientIdentifier: string, key: string): Promise<OutboundMessage | undefined> {
    const holder = await this.keys.findOne({ _id: idemKey(clientIdentifier, key) }).lean();
    return holder && holder.clientIdentifier === clientIdentifier ? this.findById(clientIdentifier, holder.messageId) : undefined;
  }

  // ---------------------------------------------------------------------------------- inserts

  /**
   * Unique on channelId + waMessageId: a duplicate returns the stored one with created=false. The echo of
   * one of our sends (fromMe, reported while the send is in flight) is attached to our record instead.
   */
  async insertInbound(clientIdentifier: string, doc: NewInbound): Promise<{ message: MessageView; created: boolean }> {
    if (!doc.waMessageId) return { message: publicView(await this.create(clientIdentifier, doc)), created: true };
    if (doc.fromMe) {
      // A message from the linked phone may be the echo of an API send: look before storing.
      const existing = await this.findByWaId(clientIdentifier, doc.channelId, doc.waMessageId);
      if (existing) return { message: publicView(existing), created: false };
      const adopted = await this.adoptEcho(clientIdentifier, doc);
      if (adopted) return { message: publicView(adopted), created: false };
    }
    // The key first: its unique _id decides which of two stores wins. A key left without its message
    // (a crash in between) is completed by the next store of the same WhatsApp id. Both writes are
    // group-committed with the other inbound messages of the moment (one insertMany each).
    const key = waKey(doc.channelId, doc.waMessageId);
    let id = new Types.ObjectId().toHexString();
    if (!(await this.keyInserts.add({ _id: key, messageId: id, clientIdentifier }))) {
      const holder = await this.keys.findOne({ _id: key }).lean();
      if (!holder || holder.clientIdentifier !== clientIdentifier) throw new Error(`Message key ${key} is held by another account`);
      const stored = await this.findById(clientIdentifier, holder.messageId);
      if (stored) return { message: publicView(stored), created: false };
      id = holder.messageId;
    }
    const raw = await this.newDocument(clientIdentifier, doc, id);
    if (!(await this.messageInserts.add(raw))) {
      const stored = await this.findById(clientIdentifier, id);
      if (!stored) throw new Error(`Message ${id} reported as stored but not found`);
      return { message: publicView(stored), created: false };
    }
    return { message: publicView(toView(raw as unknown as MessageDoc)), created: true };
  }

  private readonly keyInserts = new Batcher<{ _id: string; messageId: string; clientIdentifier: string }, boolean>(async (docs) => {
    const duplicates = await insertManyReportingDuplicates(this.keys.collection, docs);
    return docs.map((_, i) => !duplicates.has(i));
  });

  private readonly messageInserts = new Batcher<Record<string, unknown>, boolean>(async (docs) => {
    const duplicates = await insertManyReportingDuplicates(this.model.collection, docs);
    return docs.map((_, i) => !duplicates.has(i));
  });

  /** The document `create` would insert (defaults, casting, validation, timestamps), for a batched insert. */
  private async newDocument(clientIdentifier: string, doc: NewInbound, id: string): Promise<Record<string, unknown>> {
    const hydrated = new this.model({
      ...doc,
      _id: id,
      clientIdentifier,
      direction: doc.fromMe ? 'outbound' : 'inbound',
      waKey: doc.waMessageId ? waKey(doc.channelId, doc.waMessageId) : undefined,
    });
    await hydrated.validate();
    const now = new Date();
    return { ...(hydrated.toObject() as unknown as Record<string, unknown>), __v: 0, createdAt: now, updatedAt: now };
  }

  /**
   * Stores an API send before anything else. A repeated Idempotency-Key returns the first one
   * (created=false): the key's own document (unique `_id`) decides between simultaneous calls.
   */
  async insertOutbound(clientIdentifier: string, doc: NewOutbound): Promise<{ message: OutboundMessage; created: boolean }> {
    const { idempotencyKey, ...fields } = doc;
    let id = new Types.ObjectId().toHexString();
    if (idempotencyKey) {
      try {
        await this.keys.create({ _id: idemKey(clientIdentifier, idempotencyKey), messageId: id, clientIdentifier });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const holder = await this.keys.findOne({ _id: idemKey(clientIdentifier, idempotencyKey) }).lean();
        if (!holder) throw err;
        const first = await this.findById(clientIdentifier, holder.messageId);
        if (first) return { message: first, created: false };
        id = holder.messageId; // the first call stopped between its two writes: this one completes it
      }
    }
    try {
      const created = await this.model.create({
        ...fields,
        _id: id,
        clientIdentifier,
        direction: 'outbound',
        fromMe: true,
        status: 'queued',
        statusTimes: { queued: new Date() },
        idemKey: idempotencyKey ? idemKey(clientIdentifier, idempotencyKey) : undefined,
      });
      return { message: toView(created.toObject() as MessageDoc), created: true };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const existing = (await this.findById(clientIdentifier, id)) ?? (idempotencyKey ? await this.findByIdempotencyKey(clientIdentifier, idempotencyKey) : undefined);
      if (!existing) throw err;
      return { message: existing, created: false };
    }
  }

  private async create(clientIdentifier: string, doc: NewInbound, id?: string): Promise<OutboundMessage> {
    const created = await this.model.create({
      ...doc,
      ...(id ? { _id: id } : {}),
      clientIdentifier,
      direction: doc.fromMe ? 'outbound' : 'inbound',
      waKey: doc.waMessageId ? waKey(doc.channelId, doc.waMessageId) : undefined,
    });
    return toView(created.toObject() as MessageDoc);
  }

  private adoptEcho(clientIdentifier: string, doc: NewInbound): Promise<OutboundMessage | undefined> {
    const match = this.inFlight.match(doc.channelId, doc);
    if (!match || !doc.waMessageId) return Promise.resolve(undefined);
    const wa = doc.waMessageId;
    return this.writes.run(doc.channelId, async () => {
      const ours = await this.findById(clientIdentifier, match.messageId);
      if (!ours) return undefined;
      if (ours.waMessageId) {
        // A further contact card of the same send.
        if (ours.waMessageId !== wa) await this.model.updateOne({ _id: ours.id }, { $addToSet: { 'outbound.extraWaMessageIds': wa } });
        return ours;
      }
      await this.linkWaId(ours, wa);
      this.inFlight.setWaId(doc.channelId, ours.id, wa);
      return { ...ours, waMessageId: wa };
    });
  }

  /**
   * Gives one of our messages its WhatsApp id (key, then the message). If the echo was stored as a message
   * of its own, that copy goes: the record the API returned stays the one true copy. Call under the lock.
   */
  private async linkWaId(message: OutboundMessage, waMessageId: string, set: Record<string, unknown> = {}): Promise<void> {
    const key = waKey(message.channelId, waMessageId);
    try {
      await this.keys.create({ _id: key, messageId: message.id, clientIdentifier: message.clientIdentifier });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const holder = await this.keys.findOne({ _id: key }).lean();
      if (holder && holder.messageId !== message.id) {
        if (holder.clientIdentifier !== message.clientIdentifier) throw err;
        // Only an echo copy (ours, fromMe, never an API send) may be replaced.
        const copy = await this.model.findOne({ _id: holder.messageId }).lean<MessageDoc>();
        if (copy && (copy.clientIdentifier !== message.clientIdentifier || !copy.fromMe || copy.outbound)) throw err;
        if (copy) await this.model.deleteOne({ _id: holder.messageId });
        await this.keys.updateOne({ _id: key }, { $set: { messageId: message.id } });
      }
    }
    await this.model.updateOne({ _id: message.id }, { $set: { ...set, waMessageId, waKey: key } });
  }

  // ---------------------------------------------------------------------------------- statuses

  /** Status only moves forward (sent < delivered < read < played); undefined when unknown or no change. */
  async applyAck(clientIdentifier: string, channelId: string, waMessageId: string, status: MessageStatus): Promise<MessageView | undefined> {
    const moved = await this.advance(clientIdentifier, channelId, { waMessageId }, status);
    return moved ? publicView(moved.message) : undefined;
  }

  /** Moves a message's status forward; the updated message and the status it left, or undefined when it could not move. */
  advance(clientIdentifier: string, channelId: string, match: { id: string } | { waMessageId: string }, to: MessageStatus, set: Record<string, unknown> = {}): Promise<Moved | undefined> {
    return this.writes.run(channelId, async () => {
      const current = 'id' in match ? await this.findById(clientIdentifier, match.id) : await this.findByWaId(clientIdentifier, channelId, match.waMessageId);
      return current && current.channelId === channelId ? this.advanceNow(current, to, set) : undefined;
    });
  }

  /** Call under the lock. */
  private async advanceNow(current: OutboundMessage, to: MessageStatus, set: Record<string, unknown>): Promise<Moved | undefined> {
    if (!statusesBefore(to).includes(current.status)) return undefined;
    const now = new Date();
    const update: Record<string, unknown> = { $set: { ...set, status: to, [`statusTimes.${to}`]: now } };
    if (to !== 'failed') update.$unset = { statusReason: 1 };
    await this.model.updateOne({ _id: current.id }, update);
    const after: OutboundMessage = { ...current, ...(set as Partial<OutboundMessage>), status: to, statusTimes: { ...current.statusTimes, [to]: now }, updatedAt: now };
    if (to !== 'failed') delete after.statusReason;
    if (to === 'failed') this.inFlight.settle(current.channelId, current.id, false);
    return { message: after, previous: current.status };
  }

  /** queued → sending, just before the engine is called; false when the message is no longer queued. */
  claimForSending(clientIdentifier: string, channelId: string, id: string, attempts: number): Promise<boolean> {
    return this.writes.run(channelId, async () => {
      const current = await this.findById(clientIdentifier, id);
      if (!current || current.channelId !== channelId || current.status !== 'queued') return false;
      await this.model.updateOne({ _id: id }, { $set: { status: 'sending', 'outbound.attempts': attempts } });
      const { chatId, kind, body, caption, vcards } = current;
      this.inFlight.add(channelId, { messageId: id, chatId, kind, body, caption, vcards });
      return true;
    });
  }

  /** sending → queued: the attempt did not reach WhatsApp (session gone, worker stopping). */
  async releaseToQueue(clientIdentifier: string, channelId: string, id: string, reason: string): Promise<void> {
    await this.writes.run(channelId, async () => {
      const current = await this.findById(clientIdentifier, id);
      if (!current || current.status !== 'sending') return;
      await this.model.updateOne({ _id: id }, { $set: { status: 'queued', statusReason: reason } });
      this.inFlight.settle(channelId, id, false);
    });
  }

  /**
   * After a send: WhatsApp's id and `sent` in one write. When an ack (through the echo) already moved the
   * message past `sent`, only the id is recorded and undefined is returned.
   */
  markSent(clientIdentifier: string, channelId: string, id: string, waMessageId: string | undefined, set: Record<string, unknown> = {}): Promise<Moved | undefined> {
    return this.writes.run(channelId, async () => {
      let current = await this.findById(clientIdentifier, id);
      if (!current) return undefined;
      if (waMessageId && current.waMessageId !== waMessageId) {
        await this.linkWaId(current, waMessageId);
        current = { ...current, waMessageId };
      }
      const moved = await this.advanceNow(current, 'sent', set);
      if (!moved && Object.keys(set).length) await this.model.updateOne({ _id: id }, { $set: set });
      // More echoes may still come for several contact cards, or for a forward whose id is not known yet.
      const more = (current.vcards?.length ?? 0) > 1 || !current.waMessageId;
      this.inFlight.settle(channelId, id, more);
      return moved;
    });
  }

  /**
   * failed → queued for POST /messages/:id/retry, keeping the id: the failure moves to
   * `outbound.failures`, `retries` goes up, and WhatsApp's id of a copy WhatsApp refused (an ack error)
   * is dropped with its key, so the new attempt is not mistaken for it (echo, ack, interrupted send).
   * `requeued: false` with the message as it is when it is not a failed API send; undefined when unknown.
   */
  async requeueFailed(clientIdentifier: string, id: string): Promise<{ message: OutboundMessage; requeued: boolean } | undefined> {
    const found = await this.findById(clientIdentifier, id);
    if (!found) return undefined;
    return this.writes.run(found.channelId, async () => {
      const doc = await this.model.findOne({ _id: id }).lean<MessageDoc>();
      const current = doc && doc.clientIdentifier === clientIdentifier ? toView(doc) : undefined;
      if (!current) return undefined;
      // Only API sends carry `outbound`: a message typed on the phone has no send to repeat.
      if (current.status !== 'failed' || current.direction !== 'outbound' || !doc?.outbound) return { message: current, requeued: false };
      const now = new Date();
      const failure = { at: current.statusTimes?.failed ?? now, reason: current.statusReason, waMessageId: current.waMessageId };
      const outbound: OutboundSpec = { ...current.outbound, retries: (current.outbound.retries ?? 0) + 1, failures: [...(current.outbound.failures ?? []), failure] };
      delete outbound.extraWaMessageIds;
      const statusTimes = { queued: now };
      // The status in the filter makes two racing retries one on MongoDB (the lock does it in this process).
      const res = await this.model.updateOne(
        { _id: id, status: 'failed' },
        { $set: { status: 'queued', statusTimes, outbound }, $unset: { statusReason: 1, waMessageId: 1, waKey: 1 } },
      );
      if (res.matchedCount === 0) return { message: (await this.findById(clientIdentifier, id)) ?? current, requeued: false };
      if (current.waMessageId) await this.keys.deleteOne({ _id: waKey(current.channelId, current.waMessageId), messageId: id });
      const after: OutboundMessage = { ...current, status: 'queued', statusTimes, outbound, updatedAt: now };
      delete after.statusReason;
      delete after.waMessageId;
      return { message: after, requeued: true };
    });
  }

  /** Records WhatsApp's id on one of our messages without moving its status (tests, imports). */
  async recordSent(clientIdentifier: string, id: string, channelId: string, waMessageId: string, set: Record<string, unknown> = {}): Promise<void> {
    await this.writes.run(channelId, async () => {
      const current = await this.findById(clientIdentifier, id);
      if (current) await this.linkWaId(current, waMessageId, set);
    });
  }

  /** Extra WhatsApp ids of one stored message (one per contact card beyond the first). */
  async addExtraWaIds(clientIdentifier: string, channelId: string, id: string, waMessageIds: string[]): Promise<void> {
    if (waMessageIds.length === 0) return;
    await this.writes.run(channelId, async () => {
      if (await this.findById(clientIdentifier, id)) await this.model.updateOne({ _id: id }, { $addToSet: { 'outbound.extraWaMessageIds': { $each: waMessageIds } } });
    });
  }

  // ------------------------------------------------------------------------ changes by WhatsApp

  /** A revoke for everyone wins over an earlier delete-for-me; the same outcome twice is no change (undefined). */
  markRevoked(clientIdentifier: string, channelId: string, waMessageId: string, outcome: 'revoked' | 'deleted_for_me', by?: string): Promise<MessageView | undefined> {
    return this.change(clientIdentifier, channelId, waMessageId, (current) => {
      if (current.revoked?.outcome === 'revoked' || current.revoked?.outcome === outcome) return undefined;
      return { revoked: { at: new Date(), outcome, ...(by ? { by } : {}) } };
    });
  }

  applyEdit(clientIdentifier: string, channelId: string, waMessageId: string, body: string): Promise<MessageView | undefined> {
    return this.change(clientIdentifier, channelId, waMessageId, (current) => {
      const field = current.media && current.kind !== 'text' ? 'caption' : 'body';
      if (current[field] === body) return undefined;
      return { [field]: body, edits: [...(current.edits ?? []), { body: current[field] ?? '', at: new Date() }] };
    });
  }

  /** One reaction per sender: a new emoji replaces the sender's previous one, '' removes it. */
  applyReaction(clientIdentifier: string, channelId: string, waMessageId: string, senderId: string, emoji: string): Promise<MessageView | undefined> {
    return this.change(clientIdentifier, channelId, waMessageId, (current) => {
      const others = (current.reactions ?? []).filter((r) => r.senderId !== senderId);
      const previous = (current.reactions ?? []).find((r) => r.senderId === senderId);
      if ((previous?.emoji ?? '') === emoji) return undefined;
      // The whole array is rewritten: FerretDB's $pull only removes exact sub-document matches.
      return { reactions: emoji ? [...others, { senderId, emoji, at: new Date() }] : others };
    });
  }

  /** Reads the message, lets `decide` compute the fields to set (undefined = no change), writes them. */
  private change(clientIdentifier: string, channelId: string, waMessageId: string, decide: (current: OutboundMessage) => Partial<MessageView> | undefined): Promise<MessageView | undefined> {
    return this.writes.run(channelId, async () => {
      const current = await this.findByWaId(clientIdentifier, channelId, waMessageId);
      const set = current && decide(current);
      if (!current || !set) return undefined;
      await this.model.updateOne({ _id: current.id }, { $set: set });
      return publicView({ ...current, ...set, updatedAt: new Date() });
    });
  }

  // ------------------------------------------------------------------------------------ other

  async setDelivery(clientIdentifier: string, messageId: string, delivery: MessageView['delivery']): Promise<void> {
    const current = await this.findById(clientIdentifier, messageId);
    if (!current) return;
    await this.writes.run(current.channelId, () => this.model.updateOne({ _id: messageId }, delivery ? { $set: { delivery } } : { $unset: { delivery: 1 } }));
  }

  /**
   * Marks an inbound message's event as recorded. Group-committed: one updateMany per platform
   * for every message marked while the previous write ran (FerretDB scans the collection for
   * each update, so one scan per burst instead of one per message; the marks linger
   * DISPATCH_MARK_LINGER_MS to gather). Only the inbound message's chat lane writes it at this
   * point, so no lock is needed.
   */
  markDispatched(message: Pick<MessageView, 'id'>, platform: string): Promise<void> {
    return this.dispatchMarks.add({ id: message.id, platform });
  }

  private readonly dispatchMarks = new Batcher<{ id: string; platform: string }, void>(
    async (marks) => {
      const byPlatform = new Map<string, string[]>();
      for (const m of marks) byPlatform.set(m.platform, [...(byPlatform.get(m.platform) ?? []), m.id]);
      for (const [platform, ids] of byPlatform) {
        await retryWhileBusy(() => this.model.updateMany({ _id: { $in: ids } }, { $set: { delivery: { state: 'dispatched', platform } } }));
      }
      return marks.map(() => undefined);
    },
    500,
    DISPATCH_MARK_LINGER_MS,
    LINGER_FACTOR,
  );

  /** Writes the lingering marks now (recovery between pages; shutdown, before the connection closes). */
  async flushDispatchMarks(): Promise<void> {
    await this.dispatchMarks.flushNow();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flushDispatchMarks();
  }

  /** Inbound messages whose delivery is still 'pending' (crash recovery), oldest first. System-level. */
  async findPendingDelivery(olderThan: Date, limit: number): Promise<MessageView[]> {
    const docs = await this.model.find({ 'delivery.state': 'pending', createdAt: { $lt: olderThan } }).sort({ createdAt: 1 }).limit(limit).lean<MessageDoc[]>();
    return docs.map((d) => publicView(toView(d)));
  }

  async deleteByChannel(clientIdentifier: string, channelId: string): Promise<number> {
    await this.keys.deleteMany({ clientIdentifier, _id: { $regex: `^${channelId}:` } });
    // Idempotency keys stay: one whose message is gone lets the next call with it store a new message.
    const res = await this.model.deleteMany({ clientIdentifier, channelId });
    return res.deletedCount;
  }

  /**
   * A deleted contact's messages: those naming it, and those of its chat that name no contact (stored
   * before anyone linked them, shown in its history). Their WhatsApp-id keys go too, so a late event
   * about one of them finds nothing; idempotency keys stay, as on channel delete. Under the channel's
   * lock: this process's own writers (inbound, send worker) do not interleave with it.
   */
  async deleteByContact(clientIdentifier: string, contact: { channelId: string; contactId: string; chatId: string }): Promise<number> {
    const { channelId, contactId, chatId } = contact;
    return this.writes.run(channelId, async () => {
      const filter: QueryFilter<Message> = { clientIdentifier, $or: [{ contactId }, { channelId, chatId, contactId: { $exists: false } }] };
      const ids = (await this.model.find(filter, { _id: 1 }).lean()).map((d) => String(d._id));
      if (ids.length === 0) return 0;
      await this.keys.deleteMany({ clientIdentifier, messageId: { $in: ids }, _id: { $regex: `^${channelId}:` } });
      const res = await this.model.deleteMany({ clientIdentifier, _id: { $in: ids } });
      return res.deletedCount;
    });
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
