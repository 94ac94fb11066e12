import { Injectable, Logger } from '@nestjs/common';
import { ChatSequencer } from './chat-sequencer';
import { WebhookEventsRepository } from './webhook-events.repository';
import { WEBHOOK_PAYLOAD_VERSION, WebhookEventType, WebhookPayload } from './webhook-event.types';
import { WebhookMetrics } from './webhook-metrics';
import { WebhookQueue } from './webhook-queue';
import { eventIdFor } from './webhooks.constants';

export interface RecordEventInput {
  /**
   * Readable dedupe key, unique per WhatsApp event and platform:
   * `<channelId>:<type>:<whatsapp ids…>[:<platform>]`. The same key twice is stored once.
   */
  key: string;
  clientIdentifier: string;
  channelId: string;
  /** Slug of the platform endpoint to deliver to. */
  platform: string;
  type: WebhookEventType;
  /** The chat the event belongs to; gives the payload its per-chat `seq`. */
  chatId?: string;
  data: Record<string, unknown>;
}

export interface RecordedEvent {
  eventId: string;
  created: boolean;
}

/**
 * The write side of webhooks: stores the event (outbox row, delivery log) and only then
 * enqueues its delivery. Storing is the commitment; enqueueing is best effort because the
 * sweeper enqueues any open event that has no job.
 */
@Injectable()
export class WebhookOutbox {
  private readonly logger = new Logger(WebhookOutbox.name);

  constructor(
    private readonly events: WebhookEventsRepository,
    private readonly sequencer: ChatSequencer,
    private readonly queue: WebhookQueue,
    private readonly metrics: WebhookMetrics,
  ) {}

  async record(input: RecordEventInput): Promise<RecordedEvent> {
    const eventId = eventIdFor(input.key);
    // Nothing is read first: the insert itself says whether the event was stored before. A
    // duplicate (a replayed WhatsApp event, an ack applied again) has taken a seq number that
    // no payload carries: a gap, which chat.seq allows.
    const createdAt = new Date();
    const seq = input.chatId ? await this.sequencer.next(input.channelId, input.chatId) : undefined;
    const payload: WebhookPayload = {
      version: WEBHOOK_PAYLOAD_VERSION,
      id: eventId,
      type: input.type,
      createdAt: createdAt.toISOString(),
      clientIdentifier: input.clientIdentifier,
      channelId: input.channelId,
      platform: input.platform,
      chat: input.chatId && seq !== undefined ? { id: input.chatId, seq } : null,
      data: input.data,
    };
    const body = JSON.stringify(payload);
    const { created } = await this.events.insert(
      {
        eventId,
        key: input.key,
        clientIdentifier: input.clientIdentifier,
        channelId: input.channelId,
        platform: input.platform,
        type: input.type,
        ...(input.chatId ? { chatId: input.chatId, seq } : {}),
        body,
      },
      createdAt,
    );
    if (!created) {
      // Already stored (a replayed WhatsApp event, or recovery after a crash): delivered or
      // on its way; the sweeper covers the case where its job was lost.
      this.logger.debug({ eventId, key: input.key }, 'Webhook event already recorded');
      return { eventId, created };
    }
    this.metrics.recorded.inc({ type: input.type });
    await this.queue.addSoon({
      eventId,
      clientIdentifier: input.clientIdentifier,
      channelId: input.channelId,
      platform: input.platform,
      fresh: { body, createdAt: createdAt.getTime(), key: input.key, type: input.type, ...(input.chatId ? { chatId: input.chatId, seq } : {}) },
    });
    return { eventId, created };
  }
}
