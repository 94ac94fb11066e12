import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MessagesRepository } from '../messages/messages.repository';
import { WebhookMetrics } from '../webhooks/webhook-metrics';
import { InboundMessageHandler } from './inbound-message.handler';

const BATCH = 500;
const MAX_PER_PASS = 5_000;

/**
 * Crash recovery between the two writes of an inbound message: a message stored with
 * `delivery: pending` whose event was never recorded (or never marked dispatched). At boot and
 * every sweep interval, pending messages older than one interval get their event (idempotent
 * on the event key) and are marked dispatched.
 */
@Injectable()
export class InboundRecovery implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InboundRecovery.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly messages: MessagesRepository,
    private readonly handler: InboundMessageHandler,
    private readonly metrics: WebhookMetrics,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.webhooks.sweepIntervalMs);
    this.timer.unref();
    setImmediate(() => void this.tick());
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.recover();
    try {
      await this.running;
    } catch (err) {
      this.logger.warn({ err }, 'Inbound recovery pass failed; next interval retries');
    } finally {
      this.running = undefined;
    }
  }

  /** One pass; returns how many messages got their event now. */
  async recover(now = new Date()): Promise<number> {
    const olderThan = new Date(now.getTime() - this.config.webhooks.sweepIntervalMs);
    let recovered = 0;
    for (let done = 0; done < MAX_PER_PASS; ) {
      const pending = await this.messages.findPendingDelivery(olderThan, BATCH);
      for (const message of pending) {
        await this.handler.afterStore(message, false);
        recovered++;
      }
      done += pending.length;
      if (pending.length < BATCH) break;
    }
    if (recovered > 0) {
      this.metrics.requeued.inc({ source: 'pending_message' }, recovered);
      this.logger.warn({ recovered }, 'Recorded webhook events for stored messages that had none');
    }
    return recovered;
  }
}
