import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter } from 'mongoose';
import { isUniqueViolation } from './mongo-errors';
import { WebhookEvent } from './schemas/webhook-event.schema';
import { OPEN_STATES, REPLAYABLE_STATES, WebhookAttempt, WebhookEventRecord, WebhookEventState, WebhookEventType } from './webhook-event.types';

export type NewWebhookEvent = Pick<
  WebhookEventRecord,
  'eventId' | 'key' | 'clientIdentifier' | 'channelId' | 'platform' | 'type' | 'chatId' | 'seq' | 'body' | 'state'
> & { lastError?: string };

/** What the delivery worker reads: everything but the (possibly long) attempt log. */
export type DeliverableEvent = Omit<WebhookEventRecord, 'attempts'>;

export interface EventListFilter {
  channelId?: string;
  platform?: string;
  type?: WebhookEventType;
  state?: WebhookEventState;
  since?: Date;
}

/** The outcome of one attempt, written with the attempt in one update. */
export interface AttemptUpdate {
  attempt: WebhookAttempt;
  state: WebhookEventState;
  consumedRetry: boolean;
  firstAttemptAt?: Date;
  nextAttemptAt?: Date;
}

function toRecord(doc: WebhookEvent & { __v?: unknown }): WebhookEventRecord {
  const { _id, __v, ...rest } = doc;
  void __v;
  return { eventId: _id, ...rest, attempts: rest.attempts ?? [] } as WebhookEventRecord;
}

/**
 * The webhook_events collection. Account-scoped reads take clientIdentifier first; the
 * worker and the sweeper are system-level (they serve every account) and say so.
 */
@Injectable()
export class WebhookEventsRepository {
  constructor(@InjectModel(WebhookEvent.name) private readonly model: Model<WebhookEvent>) {}

  /** Idempotent on eventId: a second insert of the same event reports `created: false`. */
  async insert(event: NewWebhookEvent, now = new Date()): Promise<{ created: boolean }> {
    const { eventId, ...fields } = event;
    try {
      await this.model.create({ _id: eventId, ...fields, attempts: [], attemptCount: 0, failures: 0, replays: 0, nextAttemptAt: now, createdAt: now, updatedAt: now });
      return { created: true };
    } catch (err) {
      if (isUniqueViolation(err)) return { created: false };
      throw err;
    }
  }

  /** System-level: the worker loads the event it was handed by the queue. */
  async findForDelivery(eventId: string): Promise<DeliverableEvent | undefined> {
    const doc = await this.model.findOne({ _id: eventId }).select({ attempts: 0 }).lean();
    return doc ? toRecord(doc as WebhookEvent) : undefined;
  }

  /** Read by _id alone (FerretDB pushes down nothing else) and the account checked here. */
  async findById(clientIdentifier: string, eventId: string): Promise<WebhookEventRecord | undefined> {
    const doc = await this.model.findOne({ _id: eventId }).lean();
    return doc && doc.clientIdentifier === clientIdentifier ? toRecord(doc) : undefined;
  }

  async list(
    clientIdentifier: string,
    filter: EventListFilter,
    window: { skip: number; limit: number; order: 1 | -1 },
  ): Promise<{ items: WebhookEventRecord[]; total: number }> {
    const query: QueryFilter<WebhookEvent> = { clientIdentifier };
    if (filter.channelId) query.channelId = filter.channelId;
    if (filter.platform) query.platform = filter.platform;
    if (filter.type) query.type = filter.type;
    if (filter.state) query.state = filter.state;
    if (filter.since) query.createdAt = { $gte: filter.since };
    const [docs, total] = await Promise.all([
      this.model.find(query).sort({ createdAt: window.order, _id: window.order }).skip(window.skip).limit(window.limit).lean(),
      this.model.countDocuments(query),
    ]);
    return { items: docs.map((d) => toRecord(d)), total };
  }

  /** Appends the attempt to the log and moves the event to its next state, in one update. */
  async recordAttempt(eventId: string, u: AttemptUpdate): Promise<void> {
    const set: Record<string, unknown> = { state: u.state, lastError: u.attempt.error ?? null };
    if (u.attempt.status !== undefined) set.lastStatus = u.attempt.status;
    if (u.firstAttemptAt) set.firstAttemptAt = u.firstAttemptAt;
    if (u.state === 'delivered') set.deliveredAt = u.attempt.at;
    const unset: Record<string, ''> = {};
    if (u.nextAttemptAt) set.nextAttemptAt = u.nextAttemptAt;
    else unset.nextAttemptAt = '';
    const update: Record<string, unknown> = {
      $set: set,
      $push: { attempts: u.attempt },
      $inc: { attemptCount: 1, failures: u.consumedRetry ? 1 : 0 },
    };
    if (Object.keys(unset).length) update.$unset = unset;
    await this.model.updateOne({ _id: eventId }, update);
  }

  /** Ends an event without an attempt (its endpoint is gone or disabled). */
  async closeDead(eventId: string, reason: string): Promise<void> {
    await this.model.updateOne({ _id: eventId }, { $set: { state: 'dead', lastError: reason }, $unset: { nextAttemptAt: '' } });
  }

  /**
   * Back to pending with a fresh retry schedule; the attempt log is kept. Callers pass ids they
   * read from this account; each update is by _id alone (pushed down on FerretDB).
   */
  async resetForReplay(eventIds: string[], now = new Date()): Promise<number> {
    let modified = 0;
    for (const _id of eventIds) {
      const res = await this.model.updateOne(
        { _id },
        { $set: { state: 'pending', nextAttemptAt: now, failures: 0 }, $unset: { firstAttemptAt: '' }, $inc: { replays: 1 } },
      );
      modified += res.modifiedCount;
    }
    return modified;
  }

  /** System-level retention: finished events (delivered or dead) recorded before `before`. */
  async deleteFinishedBefore(before: Date): Promise<number> {
    const res = await this.model.deleteMany({ state: { $in: ['delivered', 'dead'] }, createdAt: { $lt: before } });
    return res.deletedCount;
  }

  /** Failed or dead events of one endpoint recorded since a time, oldest first. */
  async findReplayable(clientIdentifier: string, channelId: string, platform: string, since: Date, limit: number): Promise<string[]> {
    const docs = await this.model
      .find({ clientIdentifier, channelId, platform, state: { $in: [...REPLAYABLE_STATES] }, createdAt: { $gte: since } })
      .sort({ createdAt: 1 })
      .limit(limit)
      .select({ _id: 1 })
      .lean();
    return docs.map((d) => d._id);
  }

  /** System-level, for the sweeper: open events whose attempt was due before `dueBefore`. */
  async findOverdue(dueBefore: Date, limit: number, skip = 0): Promise<DeliverableEvent[]> {
    const docs = await this.model
      .find({ state: { $in: [...OPEN_STATES] }, nextAttemptAt: { $lte: dueBefore } })
      .sort({ nextAttemptAt: 1, _id: 1 })
      .skip(skip)
      .limit(limit)
      .select({ attempts: 0 })
      .lean();
    return docs.map((d) => toRecord(d as WebhookEvent));
  }

  /** System-level: which of these ids are stored (crash recovery of inbound messages). */
  async existingIds(eventIds: string[]): Promise<Set<string>> {
    if (eventIds.length === 0) return new Set();
    const docs = await this.model.find({ _id: { $in: eventIds } }).select({ _id: 1 }).lean();
    return new Set(docs.map((d) => d._id));
  }
}
