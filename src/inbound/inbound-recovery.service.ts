import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SweepScheduler } from '../common/scheduling/sweep-scheduler';
import { AppConfig } from '../config/app-config';
import { MessagesRepository } from '../messages/messages.repository';
import { WebhookMetrics } from '../webhooks/webhook-metrics';
import { InboundJournal } from './inbound-journal';
import { InboundMessageHandler } from './inbound-message.handler';
import { InboundPipeline } from './inbound-pipeline';

const BATCH = 500;
const MAX_PER_PASS = 5_000;

/**
 * Crash recovery of the inbound pipeline, at boot and every sweep interval:
 * 1. journal entries left behind: this process's own older than one interval that no lane is
 *    applying (applying failed), and every entry of a dead process; applied again in arrival
 *    order (idempotent: the message is stored once, events dedupe on their keys);
 * 2. messages stored with `delivery: pending` whose event was never recorded (or never marked
 *    dispatched) get their event and are marked dispatched.
 */
@Injectable()
export class InboundRecovery implements OnApplicationBootstrap {
  private readonly logger = new Logger(InboundRecovery.name);

  constructor(
    private readonly messages: MessagesRepository,
    private readonly handler: InboundMessageHandler,
    private readonly journal: InboundJournal,
    private readonly pipeline: InboundPipeline,
    private readonly metrics: WebhookMetrics,
    private readonly config: AppConfig,
    private readonly sweeps: SweepScheduler,
  ) {}

  /** A pass at boot, then every sweep interval (never two at once; stopped before shutdown closes the database). */
  onApplicationBootstrap(): void {
    this.sweeps.every('inbound-recovery', this.config.webhooks.sweepIntervalMs, () => this.recover(), { runNow: true, logger: this.logger });
  }

  /** One pass; returns how many journal entries and messages it took up again. */
  async recover(now = new Date()): Promise<number> {
    const olderThan = new Date(now.getTime() - this.config.webhooks.sweepIntervalMs);
    const replayed = await this.replayJournal(olderThan);
    return replayed + (await this.dispatchPending(olderThan));
  }

  private async replayJournal(olderThan: Date): Promise<number> {
    const stale = (await this.journal.leftovers(olderThan, MAX_PER_PASS)).filter((e) => !this.pipeline.isApplying(e.id));
    if (stale.length === 0) return 0;
    this.logger.warn({ entries: stale.length }, 'Applying inbound events left in the journal');
    this.metrics.requeued.inc({ source: 'journal' }, stale.length);
    await Promise.all(stale.map((e) => this.pipeline.schedule(e)));
    return stale.length;
  }

  private async dispatchPending(olderThan: Date): Promise<number> {
    let recovered = 0;
    for (let done = 0; done < MAX_PER_PASS; ) {
      const pending = await this.messages.findPendingDelivery(olderThan, BATCH);
      for (const message of pending) {
        await this.handler.afterStore(message, false);
        recovered++;
      }
      // The marks are group-committed: written before the next page is read, so it holds new ones.
      await this.messages.flushDispatchMarks();
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
