import { Injectable, OnModuleInit } from '@nestjs/common';
import { ChannelErrorCode } from '../channels/channels.errors';
import { AppError } from '../common/errors/app-error';
import { DomainEvent, DomainEventName, DomainEvents } from '../common/events/domain-events';
import { ContactsService } from '../contacts/contacts.service';
import type { MessageStatusPayload } from '../messages/message-status.service';
import { WebhookOutbox } from '../webhooks/webhook-outbox.service';
import { InboundRouter } from './inbound-router';

/** A channel deleted meanwhile has no platforms left to tell: nothing to record. */
function channelGone(err: unknown): undefined {
  if (err instanceof AppError && err.code === ChannelErrorCode.CHANNEL_NOT_FOUND) return undefined;
  throw err;
}

/** Tries of recording one event's webhook when the database fails (waits 0.2, 0.4, 0.8, 1.6 s between). */
const RECORD_ATTEMPTS = 5;

/**
 * Recording is idempotent (a key per event), so a database error is worth another try: a
 * published status move has no one else to retry it (its publisher does not wait). A caller
 * error (AppError) never succeeds and is not retried.
 */
async function retried(task: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (err) {
      if (err instanceof AppError || attempt >= RECORD_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, 200 * 2 ** (attempt - 1)));
    }
  }
}

/**
 * Domain events other modules publish that platforms must hear about:
 * - `message.status` (MessageStatusService: acks and the send pipeline) goes to the platform
 *   the message belongs to;
 * - `session.status` (the session manager) goes to every enabled platform of the channel.
 *
 * The bus is in-process and runs after the publisher's own write. Acks wait for their webhook
 * (publishAndWait; an ack applied again after a crash publishes `message.status.repeated`), so
 * their `message.status` survives a crash; for status moves of the send pipeline and for
 * `session.status` a crash in between loses the webhook, not the state (GET the message or the
 * session to read it).
 */
@Injectable()
export class DomainEventWebhooks implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly outbox: WebhookOutbox,
    private readonly router: InboundRouter,
    private readonly contacts: ContactsService,
  ) {}

  onModuleInit(): void {
    this.events.on(DomainEventName.MessageStatus, (e) => retried(() => this.messageStatus(e)));
    // Same payload and key: recorded only if the original never was.
    this.events.on(DomainEventName.MessageStatusRepeated, (e) => retried(() => this.messageStatus({ ...e, name: DomainEventName.MessageStatus })));
    this.events.on(DomainEventName.SessionStatus, (e) => retried(() => this.sessionStatus(e)));
  }

  async messageStatus(e: DomainEvent): Promise<void> {
    const p = e.payload as unknown as MessageStatusPayload;
    const contact = p.contactId ? await this.contacts.getById(e.clientIdentifier, p.contactId).catch(() => undefined) : undefined;
    if (contact?.isIgnored) return;
    let platform = p.platform;
    if (!platform) {
      const route = await this.router.route(e.clientIdentifier, e.channelId, contact).catch(channelGone);
      if (!route?.deliver) return;
      platform = route.platform;
    }
    await this.outbox.record({
      // A retried message goes through its statuses again: each retry has keys (and event ids) of its own.
      key: `${e.channelId}:${DomainEventName.MessageStatus}:${p.messageId}:${p.status}${p.retry ? `:retry${p.retry}` : ''}`,
      clientIdentifier: e.clientIdentifier,
      channelId: e.channelId,
      platform,
      type: DomainEventName.MessageStatus,
      chatId: p.chatId,
      data: {
        messageId: p.messageId,
        ...(p.waMessageId ? { waMessageId: p.waMessageId, providerMessageId: p.waMessageId } : {}),
        chatId: p.chatId,
        direction: p.direction,
        status: p.status,
        previousStatus: p.previousStatus,
        ...(p.reason ? { reason: p.reason } : {}),
        ...(p.retry ? { retry: p.retry } : {}),
        ...(p.pricing ? { pricing: p.pricing } : {}),
        ...(p.providerError ? { providerError: p.providerError } : {}),
        ...(p.contactId ? { contactId: p.contactId } : {}),
        ...(p.conversationId ? { conversationId: p.conversationId } : {}),
        at: e.occurredAt.toISOString(),
      },
    });
  }

  async sessionStatus(e: DomainEvent): Promise<void> {
    const platforms = (await this.router.allPlatforms(e.clientIdentifier, e.channelId).catch(channelGone)) ?? [];
    const p = e.payload as { state: string; previousState?: string; reason?: string; qr?: boolean; me?: string };
    for (const platform of platforms) {
      await this.outbox.record({
        key: `${e.channelId}:${DomainEventName.SessionStatus}:${p.state}:${e.occurredAt.getTime()}:${platform}`,
        clientIdentifier: e.clientIdentifier,
        channelId: e.channelId,
        platform,
        type: DomainEventName.SessionStatus,
        data: {
          state: p.state,
          ...(p.previousState ? { previousState: p.previousState } : {}),
          ...(p.reason ? { reason: p.reason } : {}),
          ...(p.qr ? { qr: true } : {}),
          ...(p.me ? { me: p.me } : {}),
          at: e.occurredAt.toISOString(),
        },
      });
    }
  }
}
