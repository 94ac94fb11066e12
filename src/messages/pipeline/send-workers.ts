import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { MessageService } from '../../channels/channel.types';
import { ChannelsService } from '../../channels/channels.service';
import { isCloudService } from '../../providers/provider-capabilities';
import { OnEvent } from '@nestjs/event-emitter';
import { ConnectionOptions, Job, Worker } from 'bullmq';
import type { StatusChange } from '../../whatsapp/sessions/channel-session';
import { SESSION_CHANGED } from '../../whatsapp/sessions/session-manager';
import { DomainEvent, DomainEventName, DomainEvents } from '../../common/events/domain-events';
import { SweepScheduler } from '../../common/scheduling/sweep-scheduler';
import { AppConfig } from '../../config/app-config';
import { RedisClient } from '../../redis/redis.module';
import { MessagesRepository } from '../messages.repository';
import { ActionResult, SendJobData, sendQueueName } from './send-jobs';
import { SEND_TIMEOUT_MS, SendProcessor } from './send-processor';
import { SendQueues } from './send-queues';

interface Running {
  worker: Worker<SendJobData, ActionResult | void>;
  abort: AbortController;
  clientIdentifier: string;
  me?: string;
  sweeping?: Promise<void>;
  /** Official API: no session status starts or stops it. */
  stateless?: boolean;
}

/** Queued messages older than this with no job are re-enqueued (a lost enqueue, Redis lost its data…). */
const SWEEP_GRACE_MS = 10_000;
/** A message `sending` this long with no job was interrupted (a send never takes longer: SEND_TIMEOUT_MS). */
const STUCK_SENDING_MS = 3 * SEND_TIMEOUT_MS;
const SWEEP_INTERVAL_MS = 30_000;
const SWEEP_BATCH = 500;
const SEND_SWEEP = 'send-sweep';

/**
 * Runs the send worker of each channel whose WhatsApp session is READY in this process, and only
 * those: the session's READY event starts it, any other state stops it (the active job finishes or
 * puts its message back at the head of the queue). On start and every 30 s a sweeper re-enqueues the
 * channel's queued messages that have no job, so a restart or a lost enqueue loses nothing, and settles
 * sends left `sending` without a job (failed SEND_INTERRUPTED, or sent when WhatsApp's echo gave their id).
 */
@Injectable()
export class SendWorkers implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SendWorkers.name);
  private readonly running = new Map<string, Running>();
  private stopListening?: () => void;
  private closing = false;

  constructor(
    private readonly events: DomainEvents,
    private readonly queues: SendQueues,
    private readonly processor: SendProcessor,
    private readonly repository: MessagesRepository,
    private readonly redis: RedisClient,
    private readonly config: AppConfig,
    private readonly sweeps: SweepScheduler,
    private readonly channelsService: ChannelsService,
  ) {}

  /**
   * Official-API channels have no session to become READY: their workers run from boot (and from the
   * first send of a new channel, see startStateless), so what a previous process left queued goes out.
   */
  async onApplicationBootstrap(): Promise<void> {
    for (const service of ['whatsappcloud', 'd360'] as const) {
      const channels = await this.channelsService.listAllByService(service).catch((err: unknown) => {
        this.logger.warn({ err, service }, 'Could not list official-API channels; their workers start with their next send');
        return [];
      });
      for (const channel of channels) await this.start(channel.clientIdentifier, channel.id, `${channel.provider.clientNumber}@c.us`, service);
    }
  }

  /** A stateless provider's channel: its worker runs as long as the process does. */
  async startStateless(clientIdentifier: string, channelId: string, service: MessageService, me?: string): Promise<void> {
    if (isCloudService(service)) await this.start(clientIdentifier, channelId, me, service);
  }

  onModuleInit(): void {
    this.stopListening = this.events.on(DomainEventName.SessionStatus, (event) => this.onSessionStatus(event));
    this.sweeps.every(SEND_SWEEP, SWEEP_INTERVAL_MS, () => this.sweepAll(), { logger: this.logger });
  }

  /** Channels with a running worker here (tests, metrics). */
  channels(): string[] {
    return [...this.running.keys()];
  }

  /**
   * Every local state change, including those that publish no `session.status` (a lost lease: another
   * process owns the session now). Whatever the session left READY for, its worker stops here at once:
   * the send in flight is put back at the head of the queue for the new owner, and nothing more is taken.
   */
  @OnEvent(SESSION_CHANGED)
  async onLocalChange(change: StatusChange): Promise<void> {
    if (change.kind !== 'state' || change.status.state === 'READY') return;
    const entry = this.running.get(change.status.channelId);
    if (entry && !entry.stateless) await this.stop(change.status.channelId);
  }

  private async onSessionStatus(event: DomainEvent): Promise<void> {
    const state = (event.payload as { state?: string; me?: string }).state;
    if (this.running.get(event.channelId)?.stateless) return;
    if (state === 'READY') await this.start(event.clientIdentifier, event.channelId, (event.payload as { me?: string }).me);
    else await this.stop(event.channelId);
  }

  async start(clientIdentifier: string, channelId: string, me?: string, service: MessageService = 'whatsappweb'): Promise<void> {
    if (this.closing) return;
    const existing = this.running.get(channelId);
    if (existing) {
      existing.me = me ?? existing.me;
      return;
    }
    const abort = new AbortController();
    // WhatsApp Web: one send per SEND_MIN_INTERVAL_MS (a human pace). Official API: the number's throughput.
    const cloud = isCloudService(service);
    const pacing = cloud ? 0 : this.config.messages.sendMinIntervalMs;
    const entry: Running = { abort, clientIdentifier, me, stateless: cloud } as Running;
    entry.worker = new Worker<SendJobData, ActionResult | void>(
      sendQueueName(channelId),
      (job: Job<SendJobData>) =>
        this.processor.process(job.data, {
          channelId,
          me: entry.me,
          signal: abort.signal,
          requeueFirst: (ci, messageId) => this.queues.enqueueSend(ci, channelId, messageId, { jobId: `${messageId}-r${Date.now()}`, lifo: true }),
        }),
      {
        connection: { ...this.redis.options } as ConnectionOptions,
        prefix: this.config.storage.queuePrefix,
        concurrency: 1,
        // Official API: every process may run this channel's worker; it starts once the queue allows one job at a time.
        autorun: !cloud,
        ...(cloud ? { limiter: { max: this.config.cloud.sendPerSecond, duration: 1000 } } : pacing > 0 ? { limiter: { max: 1, duration: pacing } } : {}),
      },
    );
    entry.worker.on('error', (err) => this.logger.warn({ err, channelId }, 'Send worker error'));
    entry.worker.on('failed', (job, err) => this.logger.warn({ channelId, jobId: job?.id, err: err.message }, 'Send job failed'));
    this.running.set(channelId, entry);
    if (cloud) await this.runOneAtATime(channelId, entry);
    this.logger.log({ channelId, pacingMs: pacing }, 'Send worker started');
    void this.sweep(channelId, 0);
  }

  /**
   * An official-API channel has no owner process: each process that sends on it runs a worker. BullMQ's
   * global concurrency (kept in Redis) lets one job of the queue run at a time across all of them, so
   * messages keep their order per chat whichever process accepted them.
   */
  private async runOneAtATime(channelId: string, entry: Running): Promise<void> {
    try {
      await this.queues.queue(channelId).setGlobalConcurrency(1);
    } catch (err) {
      this.logger.warn({ err, channelId }, 'Could not set the queue’s global concurrency; sends of this channel may overlap across processes');
    }
    if (this.running.get(channelId) === entry) void entry.worker.run().catch((err: unknown) => this.logger.warn({ err, channelId }, 'Send worker stopped with an error'));
  }

  async stop(channelId: string): Promise<void> {
    const entry = this.running.get(channelId);
    if (!entry) return;
    this.running.delete(channelId);
    entry.abort.abort();
    await entry.worker.close().catch((err: unknown) => this.logger.warn({ err, channelId }, 'Send worker did not close cleanly'));
    this.logger.log({ channelId }, 'Send worker stopped');
  }

  private async sweepAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((channelId) => this.sweep(channelId, SWEEP_GRACE_MS)));
  }

  /**
   * Re-enqueues queued messages of the channel that have no job (oldest first). One sweep per
   * channel at a time: a call while one runs waits for that one.
   */
  private sweep(channelId: string, graceMs: number): Promise<void> {
    const entry = this.running.get(channelId);
    if (!entry) return Promise.resolve();
    entry.sweeping ??= this.sweepNow(channelId, graceMs)
      .catch((err: unknown) => this.logger.warn({ err, channelId }, 'Send sweep failed'))
      .finally(() => {
        entry.sweeping = undefined;
      });
    return entry.sweeping;
  }

  private async sweepNow(channelId: string, graceMs: number): Promise<void> {
    const stale = await this.repository.findOutboundInStatus(channelId, 'queued', new Date(Date.now() - graceMs), SWEEP_BATCH);
    let requeued = 0;
    for (const message of stale) {
      if (!this.running.has(channelId)) return;
      if (await this.queues.hasJob(channelId, message.id)) continue;
      await this.queues.enqueueSend(message.clientIdentifier, channelId, message.id);
      requeued++;
    }
    if (requeued > 0) this.logger.log({ channelId, requeued }, 'Re-enqueued queued messages that had no job');
    // Sends cut off with their job lost too (Redis lost its data): settled at most once, never resent.
    const stuck = await this.repository.findOutboundInStatus(channelId, 'sending', new Date(Date.now() - STUCK_SENDING_MS), SWEEP_BATCH);
    for (const message of stuck) {
      if (!this.running.has(channelId) || (await this.queues.hasJob(channelId, message.id))) continue;
      await this.processor.settleInterrupted(message);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    this.stopListening?.();
    await this.sweeps.stop(SEND_SWEEP);
    await Promise.all([...this.running.keys()].map((channelId) => this.stop(channelId)));
  }
}
