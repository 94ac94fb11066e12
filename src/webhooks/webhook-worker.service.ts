import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConnectionOptions, DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { RedisClient } from '../redis/redis.module';
import { WebhookDelivery } from './webhook-delivery.service';
import type { DeliveryJobData } from './webhook-event.types';
import { WEBHOOKS_QUEUE } from './webhooks.constants';

/** Back-off of a job whose endpoint is full: 25 ms doubling to 2 s, ±50 %, per job. */
const BUSY_BASE_MS = 25;
const BUSY_MAX_MS = 2_000;

/**
 * The BullMQ worker: thin. It hands each job to WebhookDelivery and turns the outcome into a
 * queue move. Retries reuse the same job (`moveToDelayed`), so the job id (= event id) keeps
 * deduplicating; a dead letter fails the job, which is what Bull Board lists as failed.
 */
@Injectable()
export class WebhookWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookWorker.name);
  private worker?: Worker<DeliveryJobData>;
  private readonly busyCount = new Map<string, number>();
  private closing?: Promise<void>;

  constructor(
    private readonly delivery: WebhookDelivery,
    private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Locks are renewed every lockDuration/2 while a job runs, so they can be short; short
    // locks let a job of a killed process run again within seconds of a restart.
    const lockDuration = Math.min(30_000, Math.max(5_000, 2 * this.config.webhooks.timeoutMs));
    this.worker = new Worker<DeliveryJobData>(WEBHOOKS_QUEUE, (job, token) => this.process(job, token), {
      connection: { ...this.redis.options } as ConnectionOptions,
      prefix: this.config.storage.queuePrefix,
      concurrency: this.config.webhooks.workerConcurrency,
      lockDuration,
      stalledInterval: lockDuration,
      // A job stalls when its process dies; the event is safe in the outbox, so let it run again.
      maxStalledCount: 10,
    });
    this.worker.on('error', (err) => this.logger.error({ err }, 'Webhook worker error'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.drain();
  }

  /** Takes no new job and waits for the deliveries in flight (the ordered shutdown bounds the wait). */
  async drain(): Promise<void> {
    this.closing ??= this.worker?.close();
    await this.closing;
  }

  async process(job: Job<DeliveryJobData>, token?: string): Promise<string> {
    const firstRun = job.attemptsMade === 0 && !job.stalledCounter;
    const outcome = await this.delivery.execute(job.data, firstRun);
    const id = job.id!;
    if (outcome.kind !== 'busy') this.busyCount.delete(id);
    switch (outcome.kind) {
      case 'busy': {
        const n = (this.busyCount.get(id) ?? 0) + 1;
        // Jobs that bounce here and finish in another process leave entries behind: bound the map.
        if (this.busyCount.size > 50_000) this.busyCount.clear();
        this.busyCount.set(id, n);
        const base = Math.min(BUSY_MAX_MS, BUSY_BASE_MS * 2 ** (n - 1));
        await job.moveToDelayed(Date.now() + Math.round(base * (0.5 + Math.random())), token);
        throw new DelayedError();
      }
      case 'retry':
        // The next run reads the event (attempt count, failures) from the outbox.
        if (job.data.fresh) await job.updateData({ ...job.data, fresh: undefined });
        await job.moveToDelayed(outcome.at, token);
        throw new DelayedError();
      case 'dead':
        throw new UnrecoverableError(outcome.reason);
      case 'noop':
        return outcome.reason;
      case 'delivered':
        return 'delivered';
    }
  }
}
