import { Injectable, Logger } from '@nestjs/common';
import { DomainEventName } from '../common/events/domain-events';
import { fromChatId } from '../contacts/contact-identifier';
import type { ContactView } from '../contacts/contact.types';
import { ContactsService } from '../contacts/contacts.service';
import type { MessageView } from '../messages/message.types';
import { MessagesRepository } from '../messages/messages.repository';
import type { EngineContext } from '../whatsapp/engine/inbound-sink.port';
import type { InboundEngineEvent } from '../whatsapp/engine/messaging-engine.port';
import type { WebhookEventType } from '../webhooks/webhook-event.types';
import { WebhookOutbox } from '../webhooks/webhook-outbox.service';
import { InboundRouter } from './inbound-router';
import { contactData } from './webhook-data';

type Revoke = Extract<InboundEngineEvent, { type: 'revoke' }>;
type Edit = Extract<InboundEngineEvent, { type: 'edit' }>;
type Reaction = Extract<InboundEngineEvent, { type: 'reaction' }>;
type Group = Extract<InboundEngineEvent, { type: 'group_join' | 'group_leave' }>;

/**
 * Changes to chats and messages: revokes, edits, reactions, group joins and leaves. Each is
 * applied to the stored message first (through MessagesRepository, which reports whether
 * anything changed, so a repeated WhatsApp event changes nothing and sends nothing), then
 * becomes a webhook event for the platform the message went to.
 */
@Injectable()
export class ChatEventHandler {
  private readonly logger = new Logger(ChatEventHandler.name);

  constructor(
    private readonly messages: MessagesRepository,
    private readonly contacts: ContactsService,
    private readonly router: InboundRouter,
    private readonly outbox: WebhookOutbox,
  ) {}

  async revoke(ctx: EngineContext, e: Revoke): Promise<void> {
    const updated = await this.messages.markRevoked(ctx.clientIdentifier, ctx.channelId, e.messageId, 'revoked', e.senderId);
    if (!updated) return;
    await this.emit(ctx, DomainEventName.MessageRevoked, e.chatId, `${e.messageId}:revoked`, updated, {
      messageId: updated.id,
      waMessageId: e.messageId,
      chatId: e.chatId,
      outcome: 'revoked',
      fromMe: e.fromMe,
      ...(e.senderId ? { by: e.senderId } : {}),
      revokedAt: (updated.revoked?.at ?? new Date()).toISOString(),
    });
  }

  async edit(ctx: EngineContext, e: Edit): Promise<void> {
    const updated = await this.messages.applyEdit(ctx.clientIdentifier, ctx.channelId, e.messageId, e.body);
    if (!updated) return;
    const edits = updated.edits ?? [];
    await this.emit(ctx, DomainEventName.MessageEdited, e.chatId, `${e.messageId}:${edits.length}`, updated, {
      messageId: updated.id,
      waMessageId: e.messageId,
      chatId: e.chatId,
      body: e.body,
      ...(edits.length ? { previousBody: edits[edits.length - 1].body } : e.previousBody !== undefined ? { previousBody: e.previousBody } : {}),
      ...(e.senderId ? { senderId: e.senderId } : {}),
      editedAt: (edits[edits.length - 1]?.at ?? new Date()).toISOString(),
    });
  }

  async reaction(ctx: EngineContext, e: Reaction): Promise<void> {
    const updated = await this.messages.applyReaction(ctx.clientIdentifier, ctx.channelId, e.messageId, e.senderId, e.emoji);
    if (!updated) return;
    await this.emit(ctx, DomainEventName.MessageReaction, e.chatId, `${e.messageId}:${e.senderId}:${e.emoji}:${e.timestamp}`, updated, {
      messageId: updated.id,
      waMessageId: e.messageId,
      chatId: e.chatId,
      senderId: e.senderId,
      emoji: e.emoji,
      removed: e.emoji === '',
      timestamp: new Date(e.timestamp * 1000).toISOString(),
    });
  }

  /** `entryId`: the journal entry, so a replayed group notification keeps its event id. */
  async group(ctx: EngineContext, e: Group, entryId: string): Promise<void> {
    const type = e.type === 'group_join' ? DomainEventName.GroupJoin : DomainEventName.GroupLeave;
    let contact: ContactView | undefined;
    try {
      contact = await this.contacts.findOrCreate(ctx.clientIdentifier, ctx.channelId, fromChatId(e.groupId));
    } catch (err) {
      this.logger.warn({ err, groupId: e.groupId }, 'Group event for an unreadable group id; routed to the starting platform');
    }
    const route = await this.router.route(ctx.clientIdentifier, ctx.channelId, contact);
    if (!route.deliver) return;
    // WhatsApp gives group notifications no id we receive: the journal entry's id stands in.
    await this.outbox.record({
      key: `${ctx.channelId}:${type}:${e.groupId}:${entryId}`,
      clientIdentifier: ctx.clientIdentifier,
      channelId: ctx.channelId,
      platform: route.platform,
      type,
      chatId: e.groupId,
      data: {
        groupId: e.groupId,
        participants: e.participants,
        ...(e.by ? { by: e.by } : {}),
        subtype: e.subtype,
        ...(contact ? { contact: contactData(contact) } : {}),
      },
    });
  }

  /**
   * A change to a stored message goes where the message went (its inbound delivery platform,
   * or the platform that sent it); a message we never routed is routed now by its chat. An
   * ignored contact gets nothing.
   */
  private async emit(ctx: EngineContext, type: WebhookEventType, chatId: string, id: string, message: MessageView, data: Record<string, unknown>): Promise<void> {
    const contact = await this.chatContact(ctx, message, chatId);
    if (contact?.isIgnored) return;
    const platform = message.delivery?.platform ?? message.platform ?? (await this.router.route(ctx.clientIdentifier, ctx.channelId, contact));
    const slug = typeof platform === 'string' ? platform : platform.deliver ? platform.platform : undefined;
    if (!slug) return;
    await this.outbox.record({
      key: `${ctx.channelId}:${type}:${id}`,
      clientIdentifier: ctx.clientIdentifier,
      channelId: ctx.channelId,
      platform: slug,
      type,
      chatId,
      data: { ...data, ...(message.conversationId ? { conversationId: message.conversationId } : {}) },
    });
  }

  private async chatContact(ctx: EngineContext, message: MessageView, chatId: string): Promise<ContactView | undefined> {
    if (message.contactId) return this.contacts.getById(ctx.clientIdentifier, message.contactId).catch(() => undefined);
    try {
      const { contactIdentifier } = fromChatId(chatId);
      return await this.contacts.findByIdentifier(ctx.clientIdentifier, ctx.channelId, contactIdentifier);
    } catch {
      return undefined;
    }
  }
}
