import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { JobsOptions, JobState, Queue } from 'bullmq';
import { DELIVER_JOB, WEBHOOKS_QUEUE } from './webhooks.constants';
import type { DeliveryJobData } from './webhook-event.types';

export type LiveJobState = 'waiting' | 'delayed' | 'active' | 'prioritized' | 'waiting-children';
const LIVE: ReadonlySet<string> = new Set<LiveJobState>(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

/** How long recording waits for Redis before moving on (the sweeper enqueues what was missed). */
const ENQUEUE_WAIT_MS = 2_000;

export const DELIVERY_JOB_OPTIONS: JobsOptions = {
  // Retries of the HTTP delivery are scheduled by the worker itself (moveToDelayed keeps the
  // job id, so dedupe holds); BullMQ's own attempts only cover infrastructure errors (a
  // database hiccup while writing the log).
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  // A few finished jobs stay visible in Bull Board; the delivery log is webhook_events.
  removeOnComplete: { age: 3_600, count: 1_000 },
  // Failed jobs are the dead letters: keep them a week for Bull Board.
  removeOnFail: { age: 7 * 24 * 3_600, count: 10_000 },
};

/** The BullMQ side of the outbox: one job per event, job id = event id. */
@Injectable()
export class WebhookQueue {
  private readonly logger = new Logger(WebhookQueue.name);

  constructor(@InjectQueue(WEBHOOKS_QUEUE) readonly queue: Queue<DeliveryJobData>) {}

  /** Adds the job; BullMQ ignores the add while a job with this id exists. */
  async add(data: DeliveryJobData, delayMs = 0): Promise<void> {
    await this.queue.add(DELIVER_JOB, data, { ...DELIVERY_JOB_OPTIONS, jobId: data.eventId, delay: Math.max(0, delayMs) });
  }

  /**
   * Best effort after the event is stored: waits at most ENQUEUE_WAIT_MS so a Redis outage
   * does not stall the inbound pipeline (ioredis keeps the command and sends it on reconnect;
   * otherwise the sweeper finds the event without a job). Never throws.
   */
  async addSoon(data: DeliveryJobData): Promise<boolean> {
    const add = this.add(data).then(
      () => true,
      (err: unknown) => {
        this.logger.warn({ err, eventId: data.eventId }, 'Could not enqueue a webhook event; the sweeper will');
        return false;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ENQUEUE_WAIT_MS);
    });
    try {
      return await Promise.race([add, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async state(eventId: string): Promise<JobState | 'unknown'> {
    return this.queue.getJobState(eventId);
  }

  isLive(state: string): state is LiveJobState {
    return LIVE.has(state);
  }

  /**
   * Makes sure the event has a job that will run soon: a finished job (completed or failed)
   * is removed and added again, a delayed one is promoted, a waiting or active one is left.
   * Returns what it found.
   */
  async ensure(data: DeliveryJobData, opts: { promote: boolean }): Promise<JobState | 'unknown'> {
    const state = await this.state(data.eventId);
    if (state === 'delayed' && opts.promote) {
      const job = await this.queue.getJob(data.eventId);
      await job?.promote().catch(() => undefined); // it may have just become due
      return state;
    }
    if (this.isLive(state)) return state;
    if (state === 'completed' || state === 'failed') await this.queue.remove(data.eventId);
    await this.add(data);
    return state;
  }
}
