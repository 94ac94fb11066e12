import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { RedisAvailability } from '../../redis/redis-availability';
import { RedisClient } from '../../redis/redis.module';
import { ActionResult, SendJobData, sendQueueName } from './send-jobs';

export type ActionWait = { state: 'completed'; result: ActionResult } | { state: 'failed'; reason: string } | { state: 'pending'; jobId: string };

const POLL_MS = 50;

/** The producing side of the per-channel send queues (any process may enqueue). */
@Injectable()
export class SendQueues implements OnApplicationShutdown {
  private readonly logger = new Logger(SendQueues.name);
  private readonly queues = new Map<string, Queue<SendJobData>>();

  constructor(
    private readonly redis: RedisClient,
    private readonly config: AppConfig,
    private readonly availability: RedisAvailability,
  ) {}

  /** 503 DEPENDENCY_UNAVAILABLE at once while Redis does not answer (sends would hang or be lost). */
  assertAvailable(): void {
    this.availability.assertAvailable();
  }

  queue(channelId: string): Queue<SendJobData> {
    let queue = this.queues.get(channelId);
    if (!queue) {
      // Producers share the app's command connection: adding jobs never blocks.
      queue = new Queue<SendJobData>(sendQueueName(channelId), { connection: this.redis.redis, prefix: this.config.storage.queuePrefix });
      queue.on('error', (err) => this.logger.warn({ err, channelId }, 'Send queue error'));
      this.queues.set(channelId, queue);
    }
    return queue;
  }

  /** jobId = message id: adding twice while the job exists is a no-op (the sweeper relies on it). */
  async enqueueSend(clientIdentifier: string, channelId: string, messageId: string, options: { jobId?: string; lifo?: boolean } = {}): Promise<void> {
    await this.queue(channelId).add(
      'send',
      { op: 'send', clientIdentifier, messageId },
      { jobId: options.jobId ?? messageId, lifo: options.lifo, attempts: 1, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } },
    );
  }

  /**
   * A retried message, under its own id again. A finished job still holding that id (a send job that
   * threw is kept 7 days) would make the add a no-op, so it goes first; a live one is left alone.
   */
  async enqueueRetry(clientIdentifier: string, channelId: string, messageId: string): Promise<void> {
    const stale = await this.queue(channelId).getJob(messageId);
    if (stale?.finishedOn) await stale.remove();
    await this.enqueueSend(clientIdentifier, channelId, messageId);
  }

  async enqueueAction(channelId: string, data: Extract<SendJobData, { op: 'react' | 'delete' }>): Promise<string> {
    const jobId = `${data.op}-${data.messageId}-${randomBytes(6).toString('hex')}`;
    // Kept an hour after it ends so the API call (or a later poll) can read the outcome.
    await this.queue(channelId).add(data.op, data, { jobId, attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 3600 } });
    return jobId;
  }

  /** Whether a job with this id is still in the queue (waiting, active, delayed…). */
  async hasJob(channelId: string, jobId: string): Promise<boolean> {
    return (await this.queue(channelId).getJob(jobId)) !== undefined;
  }

  /** Waits for an action job to end, up to `timeoutMs`; 'pending' when it is still queued then. */
  async waitForAction(channelId: string, jobId: string, timeoutMs: number): Promise<ActionWait> {
    const queue = this.queue(channelId);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job: Job<SendJobData, ActionResult> | undefined = await queue.getJob(jobId);
      if (job?.finishedOn) {
        if (job.failedReason) return { state: 'failed', reason: job.failedReason };
        return { state: 'completed', result: job.returnvalue };
      }
      if (!job) return { state: 'failed', reason: 'the job disappeared from the queue' };
      if (Date.now() >= deadline) return { state: 'pending', jobId };
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** Removes a channel's queue and every job in it (the channel was deleted). */
  async drop(channelId: string): Promise<void> {
    const queue = this.queue(channelId);
    this.queues.delete(channelId);
    await queue.obliterate({ force: true }).catch((err: unknown) => this.logger.warn({ err, channelId }, 'Could not drop a send queue'));
    await queue.close().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
  }
}
