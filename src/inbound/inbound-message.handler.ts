import { Injectable, Logger } from '@nestjs/common';
import { DomainEventName } from '../common/events/domain-events';
import { fromChatId } from '../contacts/contact-identifier';
import type { ContactView } from '../contacts/contact.types';
import { ContactsService } from '../contacts/contacts.service';
import { AppConfig } from '../config/app-config';
import { MediaStore } from '../media/media.store';
import type { MessageMedia, MessageView } from '../messages/message.types';
import { MessagesRepository } from '../messages/messages.repository';
import type { EngineContext } from '../whatsapp/engine/inbound-sink.port';
import type { EngineMessage, ChannelMessenger } from '../whatsapp/engine/messaging-engine.port';
import { WebhookOutbox } from '../webhooks/webhook-outbox.service';
import { InboundRouter } from './inbound-router';
import { MediaLinker, messageReceivedData } from './webhook-data';

/** A media download that takes longer than this is given up (the message is stored without the file). */
const MEDIA_DOWNLOAD_TIMEOUT_MS = 60_000;

export function messageReceivedKey(channelId: string, waMessageId: string): string {
  return `${channelId}:${DomainEventName.MessageReceived}:${waMessageId}`;
}

/**
 * An inbound message, in this order: its media into the MediaStore; its contact (created for an
 * unknown number or group); the route; the message stored once (unique on channel + WhatsApp
 * id) with its outbox marker `delivery: pending` in the same insert; the webhook event; the
 * marker set to dispatched. A crash anywhere leaves either nothing stored (WhatsApp's problem,
 * as for any client) or a stored message the recovery sweep turns into its event.
 */
@Injectable()
export class InboundMessageHandler {
  private readonly logger = new Logger(InboundMessageHandler.name);

  constructor(
    private readonly messages: MessagesRepository,
    private readonly contacts: ContactsService,
    private readonly router: InboundRouter,
    private readonly media: MediaStore,
    private readonly outbox: WebhookOutbox,
    private readonly config: AppConfig,
  ) {}

  /** `session`: the live session, for media; without one (recovery after a restart) media is stored as failed. */
  async handle(ctx: EngineContext, m: EngineMessage, session: ChannelMessenger | undefined): Promise<void> {
    const { clientIdentifier, channelId } = ctx;
    if (m.media) {
      // Media is downloaded once: a replayed or echoed message is already stored.
      const existing = await this.messages.findByWaId(clientIdentifier, channelId, m.id);
      if (existing) return this.afterStore(existing, false);
    }
    const contact = await this.contactOf(ctx, m);
    const route = await this.router.route(clientIdentifier, channelId, contact);
    const media = m.media ? await this.storeMedia(ctx, m, session) : undefined;
    const { message, created } = await this.messages.insertInbound(clientIdentifier, {
      channelId,
      waMessageId: m.id,
      chatId: m.chatId,
      ...(contact ? { contactId: contact.id } : {}),
      ...(route.deliver && route.conversationId ? { conversationId: route.conversationId } : {}),
      isGroup: m.isGroup,
      senderId: m.senderId,
      ...(m.senderName ? { senderName: m.senderName } : {}),
      fromMe: m.fromMe,
      kind: m.kind,
      ...(m.body !== undefined ? { body: m.body } : {}),
      ...(m.caption !== undefined ? { caption: m.caption } : {}),
      ...(m.quotedMessageId ? { quotedWaMessageId: m.quotedMessageId } : {}),
      ...(m.isForwarded ? { isForwarded: true } : {}),
      ...(m.location ? { location: m.location } : {}),
      ...(m.vcards ? { vcards: m.vcards } : {}),
      ...(m.mentions?.length ? { mentions: m.mentions } : {}),
      ...(m.interactiveReply ? { interactiveReply: m.interactiveReply } : {}),
      ...(media ? { media } : {}),
      status: m.fromMe ? 'sent' : 'received',
      timestamp: new Date(m.timestamp * 1000),
      delivery: route.deliver ? { state: 'pending', platform: route.platform } : { state: 'skipped', reason: route.reason },
    });
    await this.afterStore(message, created, contact);
  }

  /**
   * Records the event of a stored message whose delivery is still pending, then marks it
   * dispatched. Also the recovery path (a crash after the insert, or the same message seen
   * again before its event was recorded): the event key makes it idempotent.
   */
  async afterStore(message: MessageView, created: boolean, contact?: ContactView): Promise<void> {
    if (message.delivery?.state !== 'pending' || !message.delivery.platform || !message.waMessageId) {
      if (created) this.logger.debug({ messageId: message.id, delivery: message.delivery }, 'Inbound message stored, not delivered');
      return;
    }
    const c = contact ?? (message.contactId ? await this.contacts.getById(message.clientIdentifier, message.contactId).catch(() => undefined) : undefined);
    await this.outbox.record({
      key: messageReceivedKey(message.channelId, message.waMessageId),
      clientIdentifier: message.clientIdentifier,
      channelId: message.channelId,
      platform: message.delivery.platform,
      type: DomainEventName.MessageReceived,
      chatId: message.chatId,
      data: messageReceivedData(message, c, this.linker(message.clientIdentifier)),
    });
    // Not awaited (the marks are group-committed every few hundred ms): a mark lost in a crash
    // leaves the message pending, and recovery finds its event already recorded and marks it then.
    this.messages.markDispatched(message, message.delivery.platform).catch((err: unknown) =>
      this.logger.warn({ err, messageId: message.id }, 'Could not mark an inbound message dispatched; recovery will'),
    );
  }

  private linker(clientIdentifier: string): MediaLinker {
    const ttl = this.config.webhooks.mediaUrlTtlSeconds;
    return (mediaId) => ({
      url: this.media.signedUrl(clientIdentifier, mediaId, ttl),
      expiresAt: new Date(Math.floor(Date.now() / 1000 + ttl) * 1000),
    });
  }

  /** The chat's contact (the group for group messages), created when unknown. */
  private async contactOf(ctx: EngineContext, m: EngineMessage): Promise<ContactView | undefined> {
    let id: ReturnType<typeof fromChatId>;
    try {
      id = fromChatId(m.chatId);
    } catch {
      this.logger.warn({ channelId: ctx.channelId, chatId: m.chatId }, 'Chat id is not a contact; message stored without one');
      return undefined;
    }
    const name = m.isGroup || m.fromMe ? undefined : m.senderName;
    return this.contacts.findOrCreate(ctx.clientIdentifier, ctx.channelId, { ...id, ...(name ? { name } : {}) });
  }

  private async storeMedia(ctx: EngineContext, m: EngineMessage, session: ChannelMessenger | undefined): Promise<MessageMedia> {
    const declared: MessageMedia = {
      mimetype: m.media!.mimetype,
      ...(m.media!.filename ? { filename: m.media!.filename } : {}),
      ...(m.media!.size !== undefined ? { size: m.media!.size } : {}),
    };
    try {
      if (!session) throw new Error('no live session to download from');
      let timer: NodeJS.Timeout | undefined;
      const payload = await Promise.race([
        session.downloadMedia(m.id, m.media!.providerRef),
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), MEDIA_DOWNLOAD_TIMEOUT_MS);
        }),
      ]).finally(() => clearTimeout(timer));
      if (!payload) throw new Error('no media returned');
      const data = Buffer.from(payload.dataBase64, 'base64');
      const filename = payload.filename ?? declared.filename;
      const stored = await this.media.put(ctx.clientIdentifier, data, { mimetype: payload.mimetype, ...(filename ? { filename } : {}) });
      return { ...declared, mediaId: stored.mediaId, mimetype: payload.mimetype, size: stored.size, sha256: stored.sha256, ...(filename ? { filename } : {}) };
    } catch (err) {
      this.logger.warn({ err, channelId: ctx.channelId, waMessageId: m.id }, 'Could not download inbound media; stored without the file');
      return declared;
    }
  }
}
