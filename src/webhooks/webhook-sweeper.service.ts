import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { SweepScheduler } from '../common/scheduling/sweep-scheduler';
import { AppConfig } from '../config/app-config';
import { RedisClient } from '../redis/redis.module';
import { WebhookEventsRepository } from './webhook-events.repository';
import { WebhookMetrics } from './webhook-metrics';
import { WebhookQueue } from './webhook-queue';

const BATCH = 500;
const RETENTION_EVERY_MS = 3_600_000;
/** Job-state checks per pass; a huge healthy backlog is not re-read in full every interval. */
const MAX_CHECKED = 10_000;

/**
 * Finds open events (pending, or failed with a retry due) that are overdue by more than one
 * sweep interval and have no live job: Redis lost them (restart without AOF, flush), or the
 * process died between storing an event and enqueueing it. It enqueues them again. Runs at
 * boot and then every WEBHOOK_SWEEP_INTERVAL_MS, in one process at a time (a Redis lock).
 *
 * Waiting, delayed and active jobs are left alone, so a backlog behind a slow endpoint is not
 * touched; an active job of a killed process is BullMQ's (stalled-job recovery).
 */
@Injectable()
export class WebhookSweeper implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhookSweeper.name);
  private readonly lockKey: string;
  private nextRetention = 0;

  constructor(
    private readonly events: WebhookEventsRepository,
    private readonly queue: WebhookQueue,
    private readonly redis: RedisClient,
    private readonly metrics: WebhookMetrics,
    private readonly config: AppConfig,
    private readonly sweeps: SweepScheduler,
  ) {
    this.lockKey = `${config.storage.queuePrefix}:whsweep:lock`;
  }

  onApplicationBootstrap(): void {
    this.sweeps.every('webhook-sweep', this.config.webhooks.sweepIntervalMs, () => this.sweep(), { runNow: true, logger: this.logger });
  }

  /** Hourly: the delivery log keeps finished events for WEBHOOK_LOG_RETENTION_DAYS. */
  async pruneLog(now: Date, force = false): Promise<number> {
    const days = this.config.webhooks.logRetentionDays;
    if (days <= 0 || (!force && now.getTime() < this.nextRetention)) return 0;
    this.nextRetention = now.getTime() + RETENTION_EVERY_MS;
    const deleted = await this.events.deleteFinishedBefore(new Date(now.getTime() - days * 86_400_000));
    if (deleted > 0) this.logger.log({ deleted, days }, 'Deleted finished webhook events past retention');
    return deleted;
  }

  /** One pass; returns how many events were re-enqueued. */
  async sweep(now = new Date()): Promise<number> {
    const token = randomUUID();
    const interval = this.config.webhooks.sweepIntervalMs;
    const locked = await this.redis.redis.set(this.lockKey, token, 'PX', Math.max(10_000, 2 * interval), 'NX');
    if (locked !== 'OK') return 0;
    let requeued = 0;
    try {
      const dueBefore = new Date(now.getTime() - interval);
      let checked = 0;
      for (;;) {
        const overdue = await this.events.findOverdue(dueBefore, BATCH, checked);
        for (const e of overdue) {
          const before = await this.queue.ensure(
            { eventId: e.eventId, clientIdentifier: e.clientIdentifier, channelId: e.channelId, platform: e.platform },
            { promote: false },
          );
          if (!this.queue.isLive(before)) requeued++;
        }
        checked += overdue.length;
        if (overdue.length < BATCH || checked >= MAX_CHECKED) break;
      }
      if (requeued > 0) {
        this.metrics.requeued.inc({ source: 'lost_job' }, requeued);
        this.logger.warn({ requeued, checked }, 'Re-enqueued webhook events that had no job');
      }
      await this.pruneLog(now);
      return requeued;
    } finally {
      // Release only our own lock.
      await this.redis.redis
        .eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", 1, this.lockKey, token)
        .catch(() => undefined);
    }
  }
}
