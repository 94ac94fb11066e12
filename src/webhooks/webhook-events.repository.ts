import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter } from 'mongoose';
import { Batcher } from '../common/concurrency/batcher';
import { retryWhileBusy } from '../common/database/busy-retry';
import { insertManyReportingDuplicates } from '../common/database/insert-many';
import { isUniqueViolation } from '../common/database/unique-violation';
import { OUTBOX_MODEL, WebhookEvent } from './schemas/webhook-event.schema';
import { WebhookAttempt, WebhookEventRecord, WebhookEventState, WebhookEventType } from './webhook-event.types';

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

type Doc = WebhookEvent & { __v?: unknown };

function toRecord(doc: Doc): WebhookEventRecord {
  const { _id, __v, ...rest } = doc;
  void __v;
  return { eventId: _id, ...rest, attempts: rest.attempts ?? [] } as WebhookEventRecord;
}

function toDoc(e: WebhookEventRecord): WebhookEvent {
  const { eventId, ...rest } = e;
  return { _id: eventId, ...rest } as WebhookEvent;
}

/** How long finished events gather before they are moved into the log in one write. */
const FINISH_LINGER_MS = 200;
/** ...and at least 4x as long as the last such write took (it scans the collection on FerretDB). */
const LINGER_FACTOR = 4;

const FINISHED: readonly WebhookEventState[] = ['delivered', 'dead'];

/**
 * The webhook event store: `webhook_outbox` (open events) and `webhook_events` (finished ones),
 * one logical log. Hot paths touch documents by _id only (the one filter FerretDB pushes down).
 * Account-scoped reads take clientIdentifier first; the worker and the sweeper are system-level
 * (they serve every account) and say so.
 */
@Injectable()
export class WebhookEventsRepository implements BeforeApplicationShutdown {
  constructor(
    @InjectModel(OUTBOX_MODEL) private readonly outbox: Model<WebhookEvent>,
    @InjectModel(WebhookEvent.name) private readonly finished: Model<WebhookEvent>,
  ) {}

  /**
   * Stores a new open event. Idempotent on eventId for open events (`created: false`). An event
   * already finished is not seen here: callers check `exists` first (WebhookOutbox.record does,
   * unless the event's source was stored just now).
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

  /** Events this process has finished whose move into the log is not written yet. */
  private readonly finishing = new Set<string>();

  /** One insertMany for every event recorded while the previous one was written. */
  private readonly inserts = new Batcher<WebhookEvent, boolean>(async (docs) => {
    const duplicates = await insertManyReportingDuplicates(this.outbox.collection, docs);
    return docs.map((_, i) => !duplicates.has(i));
  });

  /**
   * Finished events moved in bulk: log rows first, then the outbox rows (see finish). Lingers
   * FINISH_LINGER_MS: the outbox delete scans the outbox on FerretDB once per write, whatever
   * the number of ids, and nobody waits on it (the worker does not).
   */
  private readonly finishes = new Batcher<WebhookEvent, void>(
    async (docs) => {
      await insertManyReportingDuplicates(this.finished.collection, docs);
      await retryWhileBusy(() => this.outbox.deleteMany({ _id: { $in: docs.map((d) => d._id) } }));
      for (const d of docs) this.finishing.delete(d._id);
      return docs.map(() => undefined);
    },
    500,
    FINISH_LINGER_MS,
    LINGER_FACTOR,
  );

  /** Shutdown: finished events still lingering are written before the connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.finishes.flushNow();
  }

  /** System-level: whether the event is stored, open or finished. */
  exists(eventId: string): Promise<boolean> {
    return this.existence.add(eventId);
  }

  /**
   * Existence checks group-committed: one `_id: {$in}` read per collection for every check of
   * the moment. On FerretDB/SQLite even a read by _id costs a pass over the collection (measured:
   * 15 ms per missing _id at 5,000 documents), so one pass per batch instead of two per event;
   * MongoDB answers both forms from the _id index.
   */
  private readonly existence = new Batcher<string, boolean>(async (ids) => {
    const wanted = [...new Set(ids)];
    const [open, done] = await Promise.all([
      this.outbox.find({ _id: { $in: wanted } }).select({ _id: 1 }).lean<{ _id: string }[]>(),
      this.finished.find({ _id: { $in: wanted } }).select({ _id: 1 }).lean<{ _id: string }[]>(),
    ]);
    const found = new Set([...open, ...done].map((d) => d._id));
    return ids.map((id) => found.has(id));
  });

  /** System-level: the open event the worker was handed (undefined once finished, or finishing here). */
  async findOpen(eventId: string): Promise<WebhookEventRecord | undefined> {
    if (this.finishing.has(eventId)) return undefined;
    const doc = await this.outbox.findOne({ _id: eventId }).lean<Doc>();
    return doc ? toRecord(doc) : undefined;
  }

  /** Appends a failed attempt and schedules the next one. */
  async recordFailure(eventId: string, u: FailureUpdate): Promise<void> {
    const set: Record<string, unknown> = { state: 'failed', nextAttemptAt: u.nextAttemptAt, lastError: u.attempt.error ?? null };
    if (u.attempt.status !== undefined) set.lastStatus = u.attempt.status;
    if (u.firstAttemptAt) set.firstAttemptAt = u.firstAttemptAt;
    await this.outbox.updateOne({ _id: eventId }, { $set: set, $push: { attempts: u.attempt }, $inc: { attemptCount: 1, failures: u.consumedRetry ? 1 : 0 } });
  }

  /**
   * Moves a finished event (delivered or dead) from the outbox into the log: the log row first,
   * so the event is always in one of the two (a crash in between leaves both; the next run of
   * its job finds it finished).
   */
  async finish(event: WebhookEventRecord): Promise<void> {
    if (!FINISHED.includes(event.state)) throw new Error(`finish() with state ${event.state}`);
    const { nextAttemptAt: _next, ...rest } = event;
    // Unset fields are left out, as mongoose would (the driver would store them as null).
    const doc = Object.fromEntries(Object.entries(toDoc({ ...rest, updatedAt: new Date() })).filter(([, v]) => v !== undefined));
    // Until the move is written, this process treats the event as finished: a job run again (the
    // sweeper, a stalled job) finds nothing to do instead of finishing it a second time.
    this.finishing.add(event.eventId);
    try {
      await this.finishes.add(doc as WebhookEvent);
    } catch (err) {
      this.finishing.delete(event.eventId);
      throw err;
    }
  }

  /** Read by _id alone (FerretDB pushes down nothing else) and the account checked here. */
  async findById(clientIdentifier: string, eventId: string): Promise<WebhookEventRecord | undefined> {
    const doc = (await this.outbox.findOne({ _id: eventId }).lean<Doc>()) ?? (await this.finished.findOne({ _id: eventId }).lean<Doc>());
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
    const sources = filter.state ? [FINISHED.includes(filter.state) ? this.finished : this.outbox] : [this.outbox, this.finished];
    // Each source sorted the same way; the page is cut from their merge.
    const upTo = window.skip + window.limit;
    const parts = await Promise.all(
      sources.map(async (m) => ({
        docs: await m.find(query).sort({ createdAt: window.order, _id: window.order }).limit(upTo).lean<Doc[]>(),
        total: await m.countDocuments(query),
      })),
    );
    const merged = parts
      .flatMap((p) => p.docs)
      .sort((a, b) => window.order * (a.createdAt.getTime() - b.createdAt.getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)));
    return { items: merged.slice(window.skip, upTo).map(toRecord), total: parts.reduce((n, p) => n + p.total, 0) };
  }

  /**
   * Back to pending with a fresh retry schedule; the attempt log is kept. Open events are reset
   * in place, finished ones move back to the outbox. Callers pass ids read from one account.
   */
  async reopen(eventIds: string[], now = new Date()): Promise<number> {
    // A finish still lingering would otherwise land after the reopen and close the event again.
    await this.finishes.flushNow();
    let reopened = 0;
    const reset = { state: 'pending' as const, nextAttemptAt: now, failures: 0 };
    for (const _id of eventIds) {
      const open = await this.outbox.updateOne({ _id }, { $set: reset, $unset: { firstAttemptAt: '', deliveredAt: '' }, $inc: { replays: 1 } });
      if (open.matchedCount === 1) {
        reopened++;
        continue;
      }
      const done = await this.finished.findOne({ _id }).lean<Doc>();
      if (!done) continue;
      const { firstAttemptAt: _f, deliveredAt: _d, ...rest } = done;
      try {
        await this.outbox.create({ ...rest, ...reset, state: 'pending' as const, replays: (done.replays ?? 0) + 1, updatedAt: now });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
      await this.finished.deleteOne({ _id });
      reopened++;
    }
    return reopened;
  }

  /** Failed (open) and dead (finished) events of one endpoint recorded since a time, oldest first. */
  async findReplayable(clientIdentifier: string, channelId: string, platform: string, since: Date, limit: number): Promise<string[]> {
    const filter = (state: WebhookEventState) => ({ clientIdentifier, channelId, platform, state, createdAt: { $gte: since } });
    const [failed, dead] = await Promise.all([
      this.outbox.find(filter('failed')).sort({ createdAt: 1 }).limit(limit).select({ createdAt: 1 }).lean<Doc[]>(),
      this.finished.find(filter('dead')).sort({ createdAt: 1 }).limit(limit).select({ createdAt: 1 }).lean<Doc[]>(),
    ]);
    return [...failed, ...dead]
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, limit)
      .map((d) => d._id);
  }

  /** System-level, for the sweeper: open events whose attempt was due before `dueBefore`. */
  async findOverdue(dueBefore: Date, limit: number, skip = 0): Promise<WebhookEventRecord[]> {
    const docs = await this.outbox
      .find({ nextAttemptAt: { $lte: dueBefore } })
      .sort({ nextAttemptAt: 1, _id: 1 })
      .skip(skip)
      .limit(limit)
      .select({ attempts: 0 })
      .lean<Doc[]>();
    return docs.filter((d) => !this.finishing.has(d._id)).map(toRecord);
  }

  /** System-level retention: finished events recorded before `before`. */
  async deleteFinishedBefore(before: Date): Promise<number> {
    const res = await this.finished.deleteMany({ createdAt: { $lt: before } });
    return res.deletedCount;
  }
}
