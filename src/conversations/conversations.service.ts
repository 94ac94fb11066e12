import { Injectable, OnModuleInit } from '@nestjs/common';
import { ChannelHooks } from '../channels/channel-hooks';
import { isMessageService, MESSAGE_SERVICES } from '../channels/channel.types';
import { ChannelsService } from '../channels/channels.service';
import { AppError } from '../common/errors/app-error';
import { DomainEventName, DomainEvents } from '../common/events/domain-events';
import { Page, pageWindow, toPage } from '../common/pagination/pagination';
import { toChatId } from '../contacts/contact-identifier';
import { ContactHooks } from '../contacts/contact-hooks';
import { ContactsService } from '../contacts/contacts.service';
import { ConversationFilter, ConversationView, openKeyOf } from './conversation.types';
import { ConversationErrorCode } from './conversations.errors';
import { ConversationsRepository } from './conversations.repository';
import { ListConversationsQuery } from './dto/list-conversations.query';
import { StartConversationDto } from './dto/start-conversation.dto';

/** Conversations (SDK guide 4): one open conversation per channel, contact and platform. */
@Injectable()
export class ConversationsService implements OnModuleInit {
  constructor(
    private readonly repository: ConversationsRepository,
    private readonly channels: ChannelsService,
    private readonly contacts: ContactsService,
    private readonly hooks: ChannelHooks,
    private readonly events: DomainEvents,
    private readonly contactHooks: ContactHooks,
  ) {}

  onModuleInit(): void {
    this.hooks.register({
      channelDeleted: async (clientIdentifier, channelId) => void (await this.repository.deleteByChannel(clientIdentifier, channelId)),
    });
    // No conversation.ended for them: the platform asked for the delete, and no send can target them any more.
    this.contactHooks.onDeleted(async (clientIdentifier, contact) => void (await this.repository.deleteByContact(clientIdentifier, contact.id)));
  }

  /**
   * Opens a conversation, or returns the open one (created=false). Two simultaneous starts for the same
   * channel, contact and platform yield one: the loser's insert hits the unique openKey and reads the winner.
   */
  async start(clientIdentifier: string, service: string, dto: StartConversationDto): Promise<{ conversation: ConversationView; created: boolean }> {
    if (!isMessageService(service))
      throw AppError.badRequest(ConversationErrorCode.UNSUPPORTED_SERVICE, `Service "${service}" is not supported (supported: ${MESSAGE_SERVICES.join(', ')})`);
    const channel = await this.channels.getById(clientIdentifier, dto.channelId);
    if (channel.service !== service)
      throw AppError.badRequest(ConversationErrorCode.UNSUPPORTED_SERVICE, `Channel ${channel.id} runs on ${channel.service}, not ${service}`);
    if (channel.platformConfigId !== dto.platformConfigId)
      throw AppError.badRequest(ConversationErrorCode.PLATFORM_CONFIG_MISMATCH, `platformConfigId ${dto.platformConfigId} is not the configuration of channel ${channel.id}`, [
        { field: 'platformConfigId', messages: [`the channel's platformConfigId is ${channel.platformConfigId}`] },
      ]);
    const platform = dto.platform ?? channel.startingPlatform;
    if (!channel.platforms.some((p) => p.slug === platform))
      throw AppError.badRequest(ConversationErrorCode.UNKNOWN_PLATFORM, `Channel ${channel.id} has no platform "${platform}"`, [
        { field: 'platform', messages: [`one of: ${channel.platforms.map((p) => p.slug).join(', ')}`] },
      ]);

    const type = dto.clientProviderId.trim().endsWith('@g.us') ? 'group' : 'individual';
    const contact = await this.contacts.findOrCreate(clientIdentifier, channel.id, { contactIdentifier: dto.clientProviderId, type, name: dto.userName });
    const openKey = openKeyOf(channel.id, contact.id, platform);
    const open = await this.repository.findOpen(clientIdentifier, openKey);
    if (open) return { conversation: open, created: false };

    const inserted = await this.repository.insertOpen(clientIdentifier, {
      service,
      channelId: channel.id,
      platformConfigId: channel.platformConfigId,
      contactId: contact.id,
      clientProviderId: contact.contactIdentifier,
      chatId: toChatId(contact),
      isGroup: contact.type === 'group',
      platform,
      userName: dto.userName,
      companyName: dto.companyName,
      sessionWithPriority: dto.sessionWithPriority ?? false,
      openKey,
    });
    if (inserted) {
      this.publish(DomainEventName.ConversationStarted, inserted);
      return { conversation: inserted, created: true };
    }
    const winner = await this.repository.findOpen(clientIdentifier, openKey);
    if (!winner) throw new Error(`conversation ${openKey}: insert lost to an open conversation that is gone`);
    return { conversation: winner, created: false };
  }

  async getById(clientIdentifier: string, id: string): Promise<ConversationView> {
    const found = await this.repository.findById(clientIdentifier, id);
    if (!found) throw AppError.notFound(ConversationErrorCode.CONVERSATION_NOT_FOUND, `Conversation (session) ${id} not found`);
    return found;
  }

  /** For sends: 404 CONVERSATION_NOT_FOUND, 422 CONVERSATION_ENDED. */
  async requireOpen(clientIdentifier: string, id: string): Promise<ConversationView> {
    const found = await this.getById(clientIdentifier, id);
    if (found.status !== 'open')
      throw AppError.unprocessable(ConversationErrorCode.CONVERSATION_ENDED, `Conversation (session) ${id} has ended; start a new one`, { endedAt: found.endedAt });
    return found;
  }

  async list(clientIdentifier: string, q: ListConversationsQuery): Promise<Page<ConversationView>> {
    const { page, limit, skip, order } = pageWindow(q);
    const filter: ConversationFilter = { channelId: q.channelId, contactId: q.contactId, platform: q.platform, status: q.status };
    const { data, total } = await this.repository.list(clientIdentifier, filter, skip, limit, order);
    return toPage(data, total, page, limit);
  }

  /** Ends an open conversation; ending an ended one returns it unchanged. */
  async end(clientIdentifier: string, id: string): Promise<ConversationView> {
    await this.getById(clientIdentifier, id);
    const ended = await this.repository.end(clientIdentifier, id);
    const view = await this.getById(clientIdentifier, id);
    if (ended) this.publish(DomainEventName.ConversationEnded, view);
    return view;
  }

  /** The open conversation of a contact on a channel for one platform, if any. */
  findOpenFor(clientIdentifier: string, channelId: string, contactId: string, platform: string): Promise<ConversationView | undefined> {
    return this.repository.findOpen(clientIdentifier, openKeyOf(channelId, contactId, platform));
  }

  /** The open conversation of a contact on a channel (any platform, oldest first), for linking inbound messages. */
  async findOpenForContact(clientIdentifier: string, channelId: string, contactId: string): Promise<ConversationView | undefined> {
    return this.repository.findFirstOpen(clientIdentifier, channelId, contactId);
  }

  private publish(name: DomainEventName, conversation: ConversationView): void {
    this.events.publish({
      name,
      clientIdentifier: conversation.clientIdentifier,
      channelId: conversation.channelId,
      occurredAt: new Date(),
      payload: {
        conversationId: conversation.id,
        sessionId: conversation.id,
        contactId: conversation.contactId,
        chatId: conversation.chatId,
        platform: conversation.platform,
        status: conversation.status,
      },
    });
  }
}
