import { BeforeApplicationShutdown, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter, Types, UpdateQuery, isValidObjectId } from 'mongoose';
import { OBJECT_ID_PATTERN } from '../common/validation/parse-object-id.pipe';
import { StoreAdapter } from '../store/store-adapter';
import { InFlightSends } from './in-flight-sends';
import { MessageStatus, MessageView, OutboundMessage, OutboundSpec, statusesBefore } from './message.types';
import { Message } from './schemas/message.schema';

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
/** A change decided from the message as read: the fields to set, and what must still hold when it is written. */
type Change = { update: UpdateQuery<Message>; guard: QueryFilter<Message> };
/** What this repository uses of a StoreAdapter.groupCommit writer. */
interface GroupCommitted<I, R> {
  add(item: I): Promise<R>;
  flushNow(): Promise<void>;
}

function toView(doc: MessageDoc): OutboundMessage {
  const { _id, waKey: _w, idemKey: _i, __v: _v, outbound, ...rest } = doc as MessageDoc & { __v?: number };
  return { id: String(_id), ...(rest as unknown as Omit<MessageView, 'id'>), outbound: outbound ?? { op: 'send' } };
}

/** The public shape: what the worker needs stays inside. */
export function publicView(message: MessageView): MessageView {
  const { outbound: _o, ...view } = message as OutboundMessage;
  // The provider-neutral name of the provider's id (a WhatsApp Web id or a Cloud API wamid); waMessageId stays for compatibility.
  return view.waMessageId ? { ...view, providerMessageId: view.waMessageId } : view;
}

/** A message's WhatsApp id in its channel: unique across accounts (channel ids are). */
export const waKey = (channelId: string, waMessageId: string) => `${channelId}:${waMessageId}`;
/** An Idempotency-Key in its account (the `idem:` prefix is what earlier versions stored: kept). */
export const idemKey = (clientIdentifier: string, key: string) => `idem:${clientIdentifier}:${key}`;
/** The serialize key of one message: every state-dependent write of it runs under it. */
const lockKey = (id: string) => `messages:${id}`;
/** Reads and writes of a change decided from a read (edits, reactions) before it gives up on contention. */
const MAX_CHANGE_ATTEMPTS = 8;

/**
 * The messages collection. Every method on account data takes clientIdentifier first and puts it in
 * every filter. Lookups by WhatsApp id and by Idempotency-Key are equalities on the message's own
 * unique `waKey` / `idemKey` (unique indexes: see the schema).
 *
 * Every state move is a guarded update: the condition it depends on is in the filter (the status it
 * may leave, the value it replaces), so on MongoDB it is atomic by itself. It runs inside
 * `store.serialize('messages:<id>')`: nothing on MongoDB; on FerretDB, whose updates read and write
 * the document back without isolation, a per-document lock held across processes. The lock covers
 * the write and the read it depends on, never calls elsewhere, and is never nested in another
 * message's (the only inner key is the unique check of `store.uniqueUpdate`).
 */
@Injectable()
export class MessagesRepository implements OnModuleInit, BeforeApplicationShutdown {
  /** Our sends awaiting their WhatsApp id, so their echoes are recognised (see InFlightSends). */
  readonly inFlight = new InFlightSends();

  /** Inbound inserts, group-committed: one insertMany per burst; false for a duplicate. */
  private readonly messageInserts: GroupCommitted<Record<string, unknown>, boolean>;
  /** `dispatched` marks, group-committed: one updateMany per platform per burst. */
  private readonly dispatchMarks: GroupCommitted<{ id: string; platform: string }, void>;

  constructor(
    @InjectModel(Message.name) private readonly model: Model<Message>,
    private readonly store: StoreAdapter,
  ) {
    this.messageInserts = store.groupCommit(async (docs: Record<string, unknown>[]) => {
      const duplicates = await store.insertManyReportingDuplicates(this.model.collection, docs);
      return docs.map((_, i) => !duplicates.has(i));
    });
    this.dispatchMarks = store.groupCommit(
      async (marks: { id: string; platform: string }[]) => {
        const byPlatform = new Map<string, string[]>();
        for (const m of marks) byPlatform.set(m.platform, [...(byPlatform.get(m.platform) ?? []), m.id]);
        for (const [platform, ids] of byPlatform) await this.model.updateMany({ _id: { $in: ids } }, { $set: { delivery: { state: 'dispatched', platform } } });
        return marks.map(() => undefined);
      },
      { scansCollection: true },
    );
  }

  /** The unique indexes decide races: they must exist before the first write, not soon after. */
  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  // ------------------------------------------------------------------------------------ reads

  async findById(clientIdentifier: string, id: string): Promise<OutboundMessage | undefined> {
    if (!isValidObjectId(id)) return undefined;
    const doc = await this.model.findOne({ _id: id, clientIdentifier }).lean<MessageDoc>();
    return doc ? toView(doc) : undefined;
  }

  /** When the contact last wrote in this chat (the official API's 24 h customer service window). */
  async lastInboundAt(clientIdentifier: string, channelId: string, chatId: string): Promise<Date | undefined> {
    const doc = await this.model
      .findOne({ clientIdentifier, channelId, chatId, direction: 'inbound' }, { timestamp: 1 })
      .sort({ timestamp: -1 })
      .lean<{ timestamp: Date }>();
    return doc?.timestamp;
  }

  async findByWaId(clientIdentifier: string, channelId: string, waMessageId: string): Promise<OutboundMessage | undefined> {
    const doc = await this.model.findOne({ waKey: waKey(channelId, waMessageId), clientIdentifier }).lean<MessageDoc>();
    return doc ? toView(doc) : undefined;
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
    const doc = await this.model.findOne({ idemKey: idemKey(clientIdentifier, key), clientIdentifier }).lean<MessageDoc>();
    return doc ? toView(doc) : undefined;
  }

  // ---------------------------------------------------------------------------------- inserts

  /**
   * Unique on channelId + waMessageId (`waKey`): a duplicate returns the stored one with created=false.
   * The echo of one of our sends (fromMe, reported while the send is in flight) is attached to our
   * record instead.
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
    // The unique waKey decides which of two stores wins. Group-committed with the other inbound
    // messages of the moment (one insertMany), duplicates reported by position.
    const raw = await this.newDocument(clientIdentifier, doc, new Types.ObjectId().toHexString());
    if (await this.messageInserts.add(raw)) return { message: publicView(toView(raw as unknown as MessageDoc)), created: true };
    const stored = await this.findByWaId(clientIdentifier, doc.channelId, doc.waMessageId);
    if (!stored) throw new Error(`WhatsApp message ${waKey(doc.channelId, doc.waMessageId)} is held by another account, or was deleted meanwhile`);
    return { message: publicView(stored), created: false };
  }

  /** The document `create` would insert (defaults, casting, validation, timestamps), for a batched insert. */
  private async newDocument(clientIdentifier: string, doc: NewInbound, id: string): Promise<Record<string, unknown>> {
    const hydrated = new this.model({ ...this.inboundFields(clientIdentifier, doc), _id: id });
    await hydrated.validate();
    const now = new Date();
    return { ...(hydrated.toObject() as unknown as Record<string, unknown>), __v: 0, createdAt: now, updatedAt: now };
  }

  private inboundFields(clientIdentifier: string, doc: NewInbound): Partial<Message> {
    return {
      ...doc,
      clientIdentifier,
      direction: doc.fromMe ? 'outbound' : 'inbound',
      // Set or absent, never null: the unique index lets many documents lack the field, not hold null.
      ...(doc.waMessageId ? { waKey: waKey(doc.channelId, doc.waMessageId) } : {}),
    };
  }

  private async create(clientIdentifier: string, doc: NewInbound): Promise<OutboundMessage> {
    const created = await this.store.retryTransient(() => this.model.create(this.inboundFields(clientIdentifier, doc)));
    return toView(created.toObject() as MessageDoc);
  }

  /**
   * Stores an API send before anything else. A repeated Idempotency-Key returns the first one
   * (created=false): the unique `idemKey` decides between simultaneous calls.
   */
  async insertOutbound(clientIdentifier: string, doc: NewOutbound): Promise<{ message: OutboundMessage; created: boolean }> {
    const { idempotencyKey, ...fields } = doc;
    try {
      const created = await this.store.retryTransient(() =>
        this.model.create({
          ...fields,
          clientIdentifier,
          direction: 'outbound',
          fromMe: true,
          status: 'queued',
          statusTimes: { queued: new Date() },
          ...(idempotencyKey ? { idemKey: idemKey(clientIdentifier, idempotencyKey) } : {}),
        }),
      );
      return { message: toView(created.toObject() as MessageDoc), created: true };
    } catch (err) {
      if (!idempotencyKey || !this.store.isUniqueViolation(err)) throw err;
      const first = await this.findByIdempotencyKey(clientIdentifier, idempotencyKey);
      if (!first) throw err;
      return { message: first, created: false };
    }
  }

  private adoptEcho(clientIdentifier: string, doc: NewInbound): Promise<OutboundMessage | undefined> {
    const match = this.inFlight.match(doc.channelId, doc);
    const wa = doc.waMessageId;
    if (!match || !wa) return Promise.resolve(undefined);
    return this.store.serialize(lockKey(match.messageId), async () => {
      const ours = await this.findById(clientIdentifier, match.messageId);
      if (!ours) return undefined;
      // Linked only while it has no WhatsApp id; one linked meanwhile (the send's result) keeps it.
      if (!ours.waMessageId && (await this.linkWaId(ours, wa, {}, { waKey: { $exists: false } }))) {
        this.inFlight.setWaId(doc.channelId, ours.id, wa);
        return { ...ours, waMessageId: wa };
      }
      const linked = ours.waMessageId ? ours : await this.findById(clientIdentifier, ours.id);
      // A further contact card of the same send.
      if (linked?.waMessageId && linked.waMessageId !== wa) await this.addExtra(linked, [wa]);
      return linked;
    });
  }

  /**
   * Gives one of our messages its WhatsApp id (with `set`, while `guard` holds); false when the guard
   * did not hold. When an echo of it was stored as a message of its own, that copy holds the unique
   * `waKey`: it goes, and the record the API returned stays the one true copy. Never an API send, and
   * never another account's. Call inside the message's serialize.
   */
  private async linkWaId(message: OutboundMessage, waMessageId: string, set: Record<string, unknown> = {}, guard: QueryFilter<Message> = {}): Promise<boolean> {
    const key = waKey(message.channelId, waMessageId);
    const link = () =>
      this.store.uniqueUpdate({
        key: `messages:${message.clientIdentifier}:${key}`,
        taken: async () => {
          const holder = await this.model.findOne({ waKey: key }, { _id: 1 }).lean();
          return !!holder && String(holder._id) !== message.id;
        },
        write: async () =>
          (await this.model.updateOne({ ...guard, _id: message.id, clientIdentifier: message.clientIdentifier }, { $set: { ...set, waMessageId, waKey: key } })).matchedCount === 1,
      });
    try {
      return await link();
    } catch (err) {
      if (!this.store.isUniqueViolation(err)) throw err;
      const copy = { waKey: key, clientIdentifier: message.clientIdentifier, _id: { $ne: message.id }, fromMe: true, outbound: { $exists: false } };
      const removed = await this.store.retryTransient(() => this.model.deleteOne(copy));
      if (removed.deletedCount === 0) throw err;
      return link();
    }
  }

  // ---------------------------------------------------------------------------------- statuses

  /** Moves a message's status forward; the updated message and the status it left, or undefined when it could not move. */
  async advance(clientIdentifier: string, channelId: string, match: { id: string } | { waMessageId: string }, to: MessageStatus, set: Record<string, unknown> = {}): Promise<Moved | undefined> {
    const target: QueryFilter<Message> = 'id' in match ? { _id: match.id } : { waKey: waKey(channelId, match.waMessageId) };
    const id = 'id' in match ? match.id : await this.idOf({ ...target, clientIdentifier });
    if (!id || !isValidObjectId(id)) return undefined;
    return this.store.serialize(lockKey(id), () => this.advanceNow({ ...target, _id: id, clientIdentifier, channelId }, to, set));
  }

  /** The guarded move: only from a status before `to` (the filter says which). Call inside the message's serialize. */
  private async advanceNow(filter: QueryFilter<Message>, to: MessageStatus, set: Record<string, unknown>): Promise<Moved | undefined> {
    const now = new Date();
    const clearsReason = to !== 'failed' && !('statusReason' in set);
    const update: UpdateQuery<Message> = { $set: { ...set, status: to, [`statusTimes.${to}`]: now } };
    if (clearsReason) update.$unset = { statusReason: 1 };
    const before = await this.model.findOneAndUpdate({ ...filter, status: { $in: statusesBefore(to) } }, update, { returnDocument: 'before' }).lean<MessageDoc>();
    if (!before) return undefined;
    const current = toView(before);
    const after: OutboundMessage = { ...current, ...(set as Partial<OutboundMessage>), status: to, statusTimes: { ...current.statusTimes, [to]: now }, updatedAt: now };
    if (clearsReason) delete after.statusReason;
    if (to === 'failed') this.inFlight.settle(current.channelId, current.id, false);
    return { message: after, previous: current.status };
  }

  /** queued → sending, just before the engine is called; false when the message is no longer queued. */
  async claimForSending(clientIdentifier: string, channelId: string, id: string, attempts: number): Promise<boolean> {
    if (!isValidObjectId(id)) return false;
    const doc = await this.store.serialize(lockKey(id), () =>
      this.model
        .findOneAndUpdate({ _id: id, clientIdentifier, channelId, status: 'queued' }, { $set: { status: 'sending', 'outbound.attempts': attempts } }, { returnDocument: 'after' })
        .lean<MessageDoc>(),
    );
    if (!doc) return false;
    const { chatId, kind, body, caption, vcards } = toView(doc);
    this.inFlight.add(channelId, { messageId: id, chatId, kind, body, caption, vcards });
    return true;
  }

  /** sending → queued: the attempt did not reach WhatsApp (session gone, worker stopping). */
  async releaseToQueue(clientIdentifier: string, channelId: string, id: string, reason: string): Promise<void> {
    if (!isValidObjectId(id)) return;
    const res = await this.store.serialize(lockKey(id), () =>
      this.model.updateOne({ _id: id, clientIdentifier, status: 'sending' }, { $set: { status: 'queued', statusReason: reason } }),
    );
    if (res.matchedCount === 1) this.inFlight.settle(channelId, id, false);
  }

  /**
   * After a send: WhatsApp's id, then `sent`. When an ack (through the echo) already moved the
   * message past `sent`, only the id (and `set`) is recorded and undefined is returned.
   */
  markSent(clientIdentifier: string, channelId: string, id: string, waMessageId: string | undefined, set: Record<string, unknown> = {}): Promise<Moved | undefined> {
    return this.store.serialize(lockKey(id), async () => {
      let current = await this.findById(clientIdentifier, id);
      if (!current) return undefined;
      if (waMessageId && current.waMessageId !== waMessageId) {
        await this.linkWaId(current, waMessageId);
        current = { ...current, waMessageId };
      }
      const moved = await this.advanceNow({ _id: id, clientIdentifier, channelId }, 'sent', set);
      if (!moved && Object.keys(set).length) await this.model.updateOne({ _id: id, clientIdentifier }, { $set: set });
      // More echoes may still come for several contact cards, or for a forward whose id is not known yet.
      const more = (current.vcards?.length ?? 0) > 1 || !current.waMessageId;
      this.inFlight.settle(channelId, id, more);
      return moved;
    });
  }

  /**
   * failed → queued for POST /messages/:id/retry, keeping the id: the failure moves to
   * `outbound.failures`, `retries` goes up, and WhatsApp's id of a copy WhatsApp refused (an ack error)
   * is dropped with its `waKey`, so the new attempt is not mistaken for it (echo, ack, interrupted send).
   * `requeued: false` with the message as it is when it is not a failed API send; undefined when unknown.
   */
  async requeueFailed(clientIdentifier: string, id: string): Promise<{ message: OutboundMessage; requeued: boolean } | undefined> {
    if (!isValidObjectId(id)) return undefined;
    return this.store.serialize(lockKey(id), async () => {
      const doc = await this.model.findOne({ _id: id, clientIdentifier }).lean<MessageDoc>();
      if (!doc) return undefined;
      const current = toView(doc);
      // Only API sends carry `outbound`: a message typed on the phone has no send to repeat.
      if (current.status !== 'failed' || current.direction !== 'outbound' || !doc.outbound) return { message: current, requeued: false };
      const now = new Date();
      const failure = { at: current.statusTimes?.failed ?? now, reason: current.statusReason, waMessageId: current.waMessageId };
      const outbound: OutboundSpec = { ...current.outbound, retries: (current.outbound.retries ?? 0) + 1, failures: [...(current.outbound.failures ?? []), failure] };
      delete outbound.extraWaMessageIds;
      const statusTimes = { queued: now };
      // Guarded by what was read (status and retries): of two racing retries, one requeues.
      const res = await this.model.updateOne(
        { _id: id, clientIdentifier, status: 'failed', 'outbound.retries': current.outbound.retries ?? null },
        { $set: { status: 'queued', statusTimes, outbound }, $unset: { statusReason: 1, waMessageId: 1, waKey: 1 } },
      );
      if (res.matchedCount === 0) return { message: (await this.findById(clientIdentifier, id)) ?? current, requeued: false };
      const after: OutboundMessage = { ...current, status: 'queued', statusTimes, outbound, updatedAt: now };
      delete after.statusReason;
      delete after.waMessageId;
      return { message: after, requeued: true };
    });
  }

  /** Records WhatsApp's id on one of our messages without moving its status (tests, imports). */
  async recordSent(clientIdentifier: string, id: string, _channelId: string, waMessageId: string, set: Record<string, unknown> = {}): Promise<void> {
    await this.store.serialize(lockKey(id), async () => {
      const current = await this.findById(clientIdentifier, id);
      if (current) await this.linkWaId(current, waMessageId, set);
    });
  }

  /** Extra WhatsApp ids of one stored message (one per contact card beyond the first). */
  async addExtraWaIds(clientIdentifier: string, channelId: string, id: string, waMessageIds: string[]): Promise<void> {
    if (waMessageIds.length === 0 || !isValidObjectId(id)) return;
    await this.store.serialize(lockKey(id), () => this.addExtra({ id, clientIdentifier, channelId }, waMessageIds));
  }

  /** Call inside the message's serialize. */
  private async addExtra(message: Pick<MessageView, 'id' | 'clientIdentifier' | 'channelId'>, waMessageIds: string[]): Promise<void> {
    await this.model.updateOne(
      { _id: message.id, clientIdentifier: message.clientIdentifier, channelId: message.channelId },
      { $addToSet: { 'outbound.extraWaMessageIds': { $each: waMessageIds } } },
    );
  }

  // ------------------------------------------------------------------------ changes by WhatsApp

  /** A revoke for everyone wins over an earlier delete-for-me; the same outcome twice is no change (undefined). */
  markRevoked(clientIdentifier: string, channelId: string, waMessageId: string, outcome: 'revoked' | 'deleted_for_me', by?: string): Promise<MessageView | undefined> {
    return this.change(clientIdentifier, channelId, waMessageId, (current) => {
      if (current.revoked?.outcome === 'revoked' || current.revoked?.outcome === outcome) return undefined;
      return {
        guard: { 'revoked.outcome': { $nin: ['revoked', outcome] } },
        update: { $set: { revoked: { at: new Date(), outcome, ...(by ? { by } : {}) } } },
      };
    });
  }

  /** The previous text goes to `edits`; guarded by that text, so two edits at once keep both in order. */
  applyEdit(clientIdentifier: string, channelId: string, waMessageId: string, body: string): Promise<MessageView | undefined> {
    return this.change(clientIdentifier, channelId, waMessageId, (current) => {
      const field = current.media && current.kind !== 'text' ? 'caption' : 'body';
      if (current[field] === body) return undefined;
      return {
        guard: { [field]: current[field] ?? null },
        update: { $set: { [field]: body }, $push: { edits: { body: current[field] ?? '', at: new Date() } } },
      };
    });
  }

  /** One reaction per sender: a new emoji replaces the sender's previous one, '' removes it. */
  applyReaction(clientIdentifier: string, channelId: string, waMessageId: string, senderId: string, emoji: string): Promise<MessageView | undefined> {
    return this.change(clientIdentifier, channelId, waMessageId, (current) => {
      const others = (current.reactions ?? []).filter((r) => r.senderId !== senderId);
      const previous = (current.reactions ?? []).find((r) => r.senderId === senderId);
      if ((previous?.emoji ?? '') === emoji) return undefined;
      // The whole array is rewritten (FerretDB's $pull only removes exact sub-document matches, and
      // MongoDB cannot $pull and $push one path in one update), guarded by the array as read.
      return {
        guard: { reactions: current.reactions ?? null },
        update: { $set: { reactions: emoji ? [...others, { senderId, emoji, at: new Date() }] : others } },
      };
    });
  }

  /**
   * Reads the message named by its WhatsApp id, lets `decide` compute the change (undefined = no
   * change) and writes it while its guard holds. Read and write run inside the message's serialize;
   * on MongoDB (no lock) a write whose guard no longer holds is decided again from a new read.
   */
  private async change(clientIdentifier: string, channelId: string, waMessageId: string, decide: (current: OutboundMessage) => Change | undefined): Promise<MessageView | undefined> {
    const target = { waKey: waKey(channelId, waMessageId), clientIdentifier };
    const id = await this.idOf(target);
    if (!id) return undefined;
    return this.store.serialize(lockKey(id), async () => {
      for (let attempt = 0; attempt < MAX_CHANGE_ATTEMPTS; attempt++) {
        const doc = await this.model.findOne({ ...target, _id: id }).lean<MessageDoc>();
        const change = doc && decide(toView(doc));
        if (!change) return undefined;
        const after = await this.model.findOneAndUpdate({ ...change.guard, ...target, _id: id }, change.update, { returnDocument: 'after' }).lean<MessageDoc>();
        if (after) return publicView(toView(after));
      }
      throw new Error(`Message ${id} kept changing under a ${MAX_CHANGE_ATTEMPTS}-times repeated change`);
    });
  }

  private async idOf(filter: QueryFilter<Message>): Promise<string | undefined> {
    const doc = await this.model.findOne(filter, { _id: 1 }).lean();
    return doc ? String(doc._id) : undefined;
  }

  // ------------------------------------------------------------------------------------ other

  async setDelivery(clientIdentifier: string, messageId: string, delivery: MessageView['delivery']): Promise<void> {
    if (!isValidObjectId(messageId)) return;
    await this.store.serialize(lockKey(messageId), () =>
      this.model.updateOne({ _id: messageId, clientIdentifier }, delivery ? { $set: { delivery } } : { $unset: { delivery: 1 } }),
    );
  }

  /**
   * Marks an inbound message's event as recorded. Group-committed: one updateMany per platform for
   * every message marked while the previous write ran (on FerretDB an update of many ids is one
   * pass over the collection, so the adapter also lets the marks gather a while). Not serialised:
   * a batch of ids has no one key, and only the message's own chat lane writes it at this point.
   */
  markDispatched(message: Pick<MessageView, 'id'>, platform: string): Promise<void> {
    return this.dispatchMarks.add({ id: message.id, platform });
  }

  /** Writes the gathered marks now (recovery between pages; shutdown, before the connection closes). */
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

  /** Their `waKey`s and `idemKey`s go with them: a later event about one finds nothing, a later call with the key stores anew. */
  async deleteByChannel(clientIdentifier: string, channelId: string): Promise<number> {
    const res = await this.store.retryTransient(() => this.model.deleteMany({ clientIdentifier, channelId }));
    return res.deletedCount;
  }

  /**
   * A deleted contact's messages: those naming it, and those of its chat that name no contact (stored
   * before anyone linked them, shown in its history). A delete needs no lock (no store brings a deleted
   * document back).
   */
  async deleteByContact(clientIdentifier: string, contact: { channelId: string; contactId: string; chatId: string }): Promise<number> {
    const { channelId, contactId, chatId } = contact;
    const filter: QueryFilter<Message> = { clientIdentifier, $or: [{ contactId }, { channelId, chatId, contactId: { $exists: false } }] };
    const res = await this.store.retryTransient(() => this.model.deleteMany(filter));
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
