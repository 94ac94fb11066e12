import { failureFromWebhookError } from '../providers/cloud/cloud-errors';
import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventName, DomainEvents } from '../common/events/domain-events';
import type { AckLevel, ProviderError } from '../whatsapp/engine/messaging-engine.port';
import { MessageStatus, MessageView, OutboundMessage, statusesBefore } from './message.types';
import { MessagesRepository, publicView } from './messages.repository';

/** Which channel an engine event belongs to (same shape as the inbound sink's EngineContext). */
export interface MessageContext {
  clientIdentifier: string;
  channelId: string;
}

/** Payload of the `message.status` domain event (and webhook). */
export interface MessageStatusPayload {
  messageId: string;
  waMessageId?: string;
  chatId: string;
  contactId?: string;
  conversationId?: string;
  platform?: string;
  direction: string;
  status: MessageStatus;
  previousStatus: MessageStatus;
  reason?: string;
  /** Which retry of the message this status belongs to (POST /messages/:id/retry); absent before the first. */
  retry?: number;
  /** Official API: Meta's pricing of the conversation (category: service, marketing, utility, authentication…). */
  pricing?: { category: string; billable?: boolean };
  /** Official API: the provider's error on a failed status (code and title as Meta gives them). */
  providerError?: ProviderError;
}

/** What the official API adds to a status. */
type AckExtra = { error?: ProviderError; pricing?: MessageStatusPayload['pricing'] };
/** An ack that arrived before the send stored the message's id (the official API's failed status can). */
type EarlyAck = { status: MessageStatus; reason: string; extra: AckExtra };

/** `OUTSIDE_SERVICE_WINDOW: (#131047) Re-engagement message`: the stable reason first, as send failures are stored. */
function failedReason(error: ProviderError): string {
  const failure = failureFromWebhookError({ code: error.code, title: error.title, error_data: error.details ? { details: error.details } : undefined });
  return `${failure.reason}: ${failure.message}`;
}

const ACK_STATUS: Record<AckLevel, MessageStatus | undefined> = {
  failed: 'failed',
  pending: undefined, // WhatsApp's clock: our own `queued`/`sending` already say it
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  played: 'played',
};

/** An ack can overtake the send's own result (the engine event races the send call): keep it briefly. */
const EARLY_ACK_TTL_MS = 120_000;
const EARLY_ACK_MAX = 10_000;

/**
 * Every status change of a message goes through here: stored first (forward only), then published as
 * `message.status` for the webhook pipeline. The inbound sink calls `onAck`; the send worker calls `move`.
 */
@Injectable()
export class MessageStatusService {
  private readonly earlyAcks = new Map<string, EarlyAck & { expires: number }>();

  constructor(
    private readonly repository: MessagesRepository,
    private readonly events: DomainEvents,
  ) {}

  /**
   * Applies an engine ack. Returns the message when its status moved, undefined otherwise.
   *
   * Its `message.status` is published with publishAndWait, not publish: the inbound pipeline removes
   * the ack's journal entry once this returns, so this returns only once the webhook is recorded, and
   * throws when it could not be (the entry stays journaled and is applied again). The status is stored
   * before: an ack applied again finds the message already at its status and publishes
   * `message.status.repeated` (recorded under the original's key: a no-op when that one was recorded).
   */
  /** `extra`: what the official API adds to a status (the failure's error, the pricing). */
  async onAck(ctx: MessageContext, waMessageId: string, ack: AckLevel, extra: AckExtra = {}): Promise<MessageView | undefined> {
    const status = ACK_STATUS[ack];
    if (!status) return undefined;
    const reason = extra.error ? failedReason(extra.error) : 'WHATSAPP_ACK_ERROR';
    let current: OutboundMessage | undefined;
    // Twice at most: the send may store the id between our move and our read (then the move is still due).
    for (let attempt = 1; attempt <= 2; attempt++) {
      const moved = await this.repository.advance(ctx.clientIdentifier, ctx.channelId, { waMessageId }, status, status === 'failed' ? { statusReason: reason } : {});
      if (moved) {
        await this.events.publishAndWait(this.statusEvent(moved.message, moved.previous, new Date(), extra));
        return publicView(moved.message);
      }
      current = await this.repository.findByWaId(ctx.clientIdentifier, ctx.channelId, waMessageId);
      if (!current || !statusesBefore(status).includes(current.status)) break;
    }
    if (!current) {
      this.rememberEarlyAck(ctx.channelId, waMessageId, { status, reason, extra });
      // The send may have stored the id after our read and before we remembered: apply it now then.
      const stored = await this.repository.findByWaId(ctx.clientIdentifier, ctx.channelId, waMessageId);
      if (stored) await this.applyEarlyAcks(stored);
      return undefined;
    }
    // Already at this status through a move (statusTimes has it): the move's webhook may be the one a
    // crash or a failed recording lost. Messages that started at this status (sent from the phone) never
    // had a `message.status` for it and get none now.
    const reachedAt = current.statusTimes?.[status];
    if (current.status === status && reachedAt) {
      await this.events.publishAndWait({ ...this.statusEvent(current, previousStatusOf(current), new Date(reachedAt)), name: DomainEventName.MessageStatusRepeated });
    }
    return undefined;
  }

  /** Moves one of our messages (by id) and publishes the change; undefined when it could not move. */
  async move(message: { clientIdentifier: string; channelId: string; id: string }, to: MessageStatus, options: { reason?: string; set?: Record<string, unknown> } = {}): Promise<OutboundMessage | undefined> {
    const set = { ...options.set, ...(options.reason ? { statusReason: options.reason } : {}) };
    const moved = await this.repository.advance(message.clientIdentifier, message.channelId, { id: message.id }, to, set);
    if (!moved) return undefined;
    this.publish(moved.message, moved.previous);
    return moved.message;
  }

  /** A failed message put back in the queue by a retry: `queued` after `failed`, so platforms see the retry. */
  announceRetry(message: OutboundMessage): void {
    this.publish(message, 'failed');
  }

  /** After a send: WhatsApp's id and `sent` stored together, published, then any ack that came first. */
  async markSent(message: OutboundMessage, waMessageId: string | undefined, set: Record<string, unknown> = {}): Promise<void> {
    const moved = await this.repository.markSent(message.clientIdentifier, message.channelId, message.id, waMessageId, set);
    if (moved) this.publish(moved.message, moved.previous);
    await this.applyEarlyAcks({ ...message, ...(waMessageId ? { waMessageId } : {}) });
  }

  /** After the worker stored a WhatsApp id: applies the best ack that arrived before it. */
  async applyEarlyAcks(message: OutboundMessage): Promise<void> {
    if (!message.waMessageId) return;
    const key = `${message.channelId}:${message.waMessageId}`;
    const early = this.earlyAcks.get(key);
    if (!early) return;
    this.earlyAcks.delete(key);
    if (early.expires < Date.now()) return;
    const moved = await this.repository.advance(message.clientIdentifier, message.channelId, { id: message.id }, early.status, early.status === 'failed' ? { statusReason: early.reason } : {});
    if (moved) this.events.publish(this.statusEvent(moved.message, moved.previous, new Date(), early.extra));
  }

  private rememberEarlyAck(channelId: string, waMessageId: string, ack: EarlyAck): void {
    const status = ack.status;
    const now = Date.now();
    if (this.earlyAcks.size >= EARLY_ACK_MAX) {
      for (const [k, v] of this.earlyAcks) if (v.expires < now) this.earlyAcks.delete(k);
      if (this.earlyAcks.size >= EARLY_ACK_MAX) return;
    }
    const key = `${channelId}:${waMessageId}`;
    const current = this.earlyAcks.get(key);
    if (!current || status === 'failed' || (current.status !== 'failed' && rank(status) > rank(current.status))) {
      this.earlyAcks.set(key, { ...ack, expires: now + EARLY_ACK_TTL_MS });
    }
  }

  /** Fire and forget, as every publisher but the ack path (see onAck): a lost webhook leaves the state readable. */
  private publish(message: MessageView, previous: MessageStatus): void {
    this.events.publish(this.statusEvent(message, previous));
  }

  private statusEvent(message: MessageView, previous: MessageStatus, occurredAt = new Date(), extra: AckExtra = {}): DomainEvent {
    const retries = (message as Partial<OutboundMessage>).outbound?.retries;
    const payload: MessageStatusPayload = {
      messageId: message.id,
      waMessageId: message.waMessageId,
      chatId: message.chatId,
      contactId: message.contactId,
      conversationId: message.conversationId,
      platform: message.platform,
      direction: message.direction,
      status: message.status,
      previousStatus: previous,
      ...(message.status === 'failed' && message.statusReason ? { reason: message.statusReason } : {}),
      ...(retries ? { retry: retries } : {}),
      ...(extra.pricing ? { pricing: extra.pricing } : {}),
      ...(extra.error ? { providerError: extra.error } : {}),
    };
    return {
      name: DomainEventName.MessageStatus,
      clientIdentifier: message.clientIdentifier,
      channelId: message.channelId,
      occurredAt,
      payload: payload as unknown as Record<string, unknown>,
    };
  }
}

const ORDER: MessageStatus[] = ['queued', 'sending', 'sent', 'delivered', 'read', 'played'];
const rank = (s: MessageStatus) => ORDER.indexOf(s);

/**
 * The status a WhatsApp-acked message left to reach its current one, from the times it reached each:
 * statuses only move forward, so it is the furthest one recorded before the current. `sending` is
 * never recorded, but a message with a WhatsApp id left `queued` through it. Without any time, it is
 * a message the phone sent, which started at `sent`.
 */
export function previousStatusOf(message: Pick<MessageView, 'status' | 'statusTimes'>): MessageStatus {
  const before = message.status === 'failed' ? ORDER.slice(0, rank('sent') + 1) : ORDER.slice(0, rank(message.status));
  const furthest = before.filter((s) => message.statusTimes?.[s]).at(-1);
  if (!furthest) return 'sent';
  return furthest === 'queued' ? 'sending' : furthest;
}
