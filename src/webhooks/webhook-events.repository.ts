import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter, UpdateQuery } from 'mongoose';
import { StoreAdapter } from '../store/store-adapter';
import { WebhookEvent } from './schemas/webhook-event.schema';
import {
  FINISHED_STATES,
  FinishedState,
  OPEN_STATES,
  WEBHOOK_EVENT_STATES,
  WebhookAttempt,
  WebhookEventRecord,
  WebhookEventState,
  WebhookEventType,
} from './webhook-event.types';

export type NewWebhookEvent = Pick<WebhookEventRecord, 'eventId' | 'key' | 'clientIdentifier' | 'channelId' | 'platform' | 'type' | 'chatId' | 'seq' | 'body'>;

export interface EventListFilter {
  channelId?: string;
  platform?: string;
  type?: WebhookEventType;
  state?: WebhookEventState;
  since?: Date;
}

/** A failed attempt of an open event, written with the attempt in one update. */
export interface FailureUpdate {
  attempt: WebhookAttempt;
  consumedRetry: boolean;
  firstAttemptAt?: Date;
  nextAttemptAt: Date;
}

/** The move of an open event to delivered or dead. */
export interface FinishUpdate {
  state: FinishedState;
  /** The attempt that finished it; absent when it closes without one (endpoint disabled or removed). */
  attempt?: WebhookAttempt;
  /** The attempt used up a step of the schedule (counted in `failures`). */
  consumedRetry?: boolean;
  /** Set when this attempt was the event's first. */
  firstAttemptAt?: Date;
  /** Why it closed without an attempt (its `lastError`). */
  reason?: string;
  at?: Date;
}

/** What this repository uses of a group-committed writer (StoreAdapter.groupCommit). */
interface GroupCommitted<I, R> {
  add(item: I): Promise<R>;
  flushNow(): Promise<void>;
}

type Doc = WebhookEvent & { __v?: unknown };

function toRecord(doc: Doc): WebhookEventRecord {
  const { _id, __v, ...rest } = doc;
  void __v;
  return { eventId: _id, ...rest, attempts: rest.attempts ?? [] } as WebhookEventRecord;
}

const byDueThenId = (a: Doc, b: Doc) => (a.nextAttemptAt?.getTime() ?? 0) - (b.nextAttemptAt?.getTime() ?? 0) || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

/**
 * `webhook_events`: every event from the moment it is recorded, open (the outbox) and finished
 * (the delivery log). An insert is idempotent on the event id (`_id`); each state move is one
 * guarded update (the states it may leave, and for an attempt the attempt count it read) under
 * StoreAdapter.serialize (`webhook_events:<id>`), so a second run of a job, or a replay racing
 * a delivery, cannot write an attempt twice or undo a move. Account-scoped reads carry
 * clientIdentifier in the filter; the worker, the sweeper and retention serve every account and
 * say so.
 */
@Injectable()
export class WebhookEventsRepository implements BeforeApplicationShutdown {
  /** One insertMany for every event recorded while the previous one was written (not held: the pipeline waits on it). */
  private readonly inserts: GroupCommitted<WebhookEvent, boolean>;

  constructor(
    @InjectModel(WebhookEvent.name) private readonly model: Model<WebhookEvent>,
    private readonly store: StoreAdapter,
  ) {
    this.inserts = store.groupCommit<WebhookEvent, boolean>(async (docs) => {
      const duplicates = await store.insertManyReportingDuplicates(model.collection, docs as never[]);
      return docs.map((_, i) => !duplicates.has(i));
    });
  }

  /** Shutdown: inserts still queued are written before the connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.inserts.flushNow();
  }

  /**
   * Stores a new event, pending. Idempotent on eventId: `created: false` when the event is stored
   * already, open or finished (the unique `_id` refuses it; nothing is read first).
   */
  async insert(event: NewWebhookEvent, now = new Date()): Promise<{ created: boolean }> {
    const { eventId, ...fields } = event;
    const created = await this.inserts.add({
      _id: eventId,
      ...fields,
      state: 'pending',
      attempts: [],
      attemptCount: 0,
      failures: 0,
      replays: 0,
      nextAttemptAt: now,
      createdAt: now,
      updatedAt: now,
    } as WebhookEvent);
    return { created };
  }

  /** System-level: the event the worker was handed, while it is open (undefined once finished). */
  async findOpen(eventId: string): Promise<WebhookEventRecord | undefined> {
    const doc = await this.model.findOne({ _id: eventId, state: { $in: [...OPEN_STATES] } }).lean<Doc>();
    return doc ? toRecord(doc) : undefined;
  }

  /**
   * Appends a failed attempt and schedules the next one. Only while the event is open and has
   * the attempts the attempt was numbered after: false when another run got there first.
   */
  recordFailure(eventId: string, u: FailureUpdate): Promise<boolean> {
    const set: Record<string, unknown> = { state: 'failed', nextAttemptAt: u.nextAttemptAt, lastError: u.attempt.error ?? null };
    if (u.attempt.status !== undefined) set.lastStatus = u.attempt.status;
    if (u.firstAttemptAt) set.firstAttemptAt = u.firstAttemptAt;
    return this.move(
      eventId,
      { state: { $in: [...OPEN_STATES] }, attemptCount: u.attempt.attempt - 1 },
      { $set: set, $push: { attempts: u.attempt }, $inc: { attemptCount: 1, failures: u.consumedRetry ? 1 : 0 } },
    );
  }

  /**
   * Open → delivered or dead, with the attempt that decided it (guarded like recordFailure).
   * False when the event was not open with those attempts any more (a second run finished it).
   */
  finish(eventId: string, u: FinishUpdate): Promise<boolean> {
    const guard: QueryFilter<WebhookEvent> = { state: { $in: [...OPEN_STATES] } };
    const set: Record<string, unknown> = { state: u.state };
    const unset: Record<string, ''> = { nextAttemptAt: '' };
    const update: UpdateQuery<WebhookEvent> = {};
    if (u.attempt) {
      guard.attemptCount = u.attempt.attempt - 1;
      update.$push = { attempts: u.attempt };
      update.$inc = { attemptCount: 1, failures: u.consumedRetry ? 1 : 0 };
      if (u.attempt.status !== undefined) set.lastStatus = u.attempt.status;
      if (u.attempt.error) set.lastError = u.attempt.error;
      else unset.lastError = '';
      if (u.firstAttemptAt) set.firstAttemptAt = u.firstAttemptAt;
    } else if (u.reason) set.lastError = u.reason;
    if (u.state === 'delivered') set.deliveredAt = u.at ?? new Date();
    update.$set = set;
    update.$unset = unset;
    return this.move(eventId, guard, update);
  }

  /**
   * Back to pending with a fresh retry schedule, from any of `from`; the attempt log is kept.
   * Callers pass ids read from one account. An event no longer in `from` is left as it is.
   */
  async reopen(eventIds: string[], from: readonly WebhookEventState[] = WEBHOOK_EVENT_STATES, now = new Date()): Promise<void> {
    const update: UpdateQuery<WebhookEvent> = {
      $set: { state: 'pending', nextAttemptAt: now, failures: 0 },
      $unset: { firstAttemptAt: '', deliveredAt: '' },
      $inc: { replays: 1 },
    };
    const reopenable = { state: { $in: [...from] } };
    await this.store.updateEach({
      keyOf: (id) => `webhook_events:${id}`,
      ids: async () => eventIds,
      one: (id) => this.model.updateOne({ ...reopenable, _id: id }, update),
      many: async () => (await this.model.updateMany({ ...reopenable, _id: { $in: eventIds } }, update)).modifiedCount,
    });
  }

  /** A guarded single-event update: atomic per event on every store. True when it applied. */
  private async move(eventId: string, guard: QueryFilter<WebhookEvent>, update: UpdateQuery<WebhookEvent>): Promise<boolean> {
    const res = await this.store.serialize(`webhook_events:${eventId}`, () => this.model.updateOne({ ...guard, _id: eventId }, update));
    return res.matchedCount === 1;
  }

  async findById(clientIdentifier: string, eventId: string): Promise<WebhookEventRecord | undefined> {
    const doc = await this.model.findOne({ _id: eventId, clientIdentifier }).lean<Doc>();
    return doc ? toRecord(doc) : undefined;
  }

  /** The account's log, by creation time (then id). Equality filters first: they are what an index serves. */
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
      this.model.find(query).sort({ createdAt: window.order, _id: window.order }).skip(window.skip).limit(window.limit).lean<Doc[]>(),
      this.model.countDocuments(query),
    ]);
    return { items: docs.map(toRecord), total };
  }

  /** Failed and dead events of one endpoint recorded since a time, oldest first (one equality query per state). */
  async findReplayable(clientIdentifier: string, channelId: string, platform: string, since: Date, limit: number): Promise<string[]> {
    const lists = await Promise.all(
      (['failed', 'dead'] as const).map((state) =>
        this.model
          .find({ clientIdentifier, channelId, platform, state, createdAt: { $gte: since } })
          .sort({ createdAt: 1 })
          .limit(limit)
          .select({ createdAt: 1 })
          .lean<Doc[]>(),
      ),
    );
    return lists
      .flat()
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, limit)
      .map((d) => d._id);
  }

  /**
   * System-level, for the sweeper: open events whose attempt was due before `dueBefore`, by due
   * time. One query per open state (equality: the open events are the few, and `$in` would be
   * filtered outside the index on the embedded store), merged.
   */
  async findOverdue(dueBefore: Date, limit: number, skip = 0): Promise<WebhookEventRecord[]> {
    const lists = await Promise.all(
      OPEN_STATES.map((state) =>
        this.model
          .find({ state, nextAttemptAt: { $lte: dueBefore } })
          .sort({ nextAttemptAt: 1, _id: 1 })
          .limit(skip + limit)
          .select({ attempts: 0 })
          .lean<Doc[]>(),
      ),
    );
    return lists
      .flat()
      .sort(byDueThenId)
      .slice(skip, skip + limit)
      .map(toRecord);
  }

  /** System-level retention: finished events recorded before `before` (one delete per finished state). */
  async deleteFinishedBefore(before: Date): Promise<number> {
    let deleted = 0;
    for (const state of FINISHED_STATES) {
      const res = await this.store.retryTransient(() => this.model.deleteMany({ state, createdAt: { $lt: before } }));
      deleted += res.deletedCount;
    }
    return deleted;
  }
}
