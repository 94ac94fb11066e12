import { isMoving } from '../whatsapp/sessions/session-state';
import { Injectable } from '@nestjs/common';
import { ChannelView } from '../channels/channel.types';
import { ChannelsService } from '../channels/channels.service';
import { AppError, CommonErrorCode } from '../common/errors/app-error';
import { normalizeGroupId } from '../contacts/contact-identifier';
import { ContactsService } from '../contacts/contacts.service';
import { ConversationsService } from '../conversations/conversations.service';
import { WhatsappErrorCode } from '../whatsapp/whatsapp.errors';
import { ChannelProviders } from '../providers/channel-providers';
import { MessageErrorCode } from './messages.errors';

/** Where a message goes, resolved and checked. */
export interface SendTarget {
  clientIdentifier: string;
  channel: ChannelView;
  chatId: string;
  isGroup: boolean;
  contactId: string;
  conversationId?: string;
  platform: string;
}

export interface TargetFields {
  sessionId?: string;
  channelId?: string;
  recipientNumber?: string;
  platform?: string;
}

const TARGET_HELP = 'give either sessionId, or channelId + recipientNumber (the group id) + platform';

function targetProblem(field: string, message: string): AppError {
  return AppError.badRequest(CommonErrorCode.VALIDATION_FAILED, `Validation failed: ${message}`, [{ field, messages: [message] }]);
}

/** Turns `sessionId` or `{ channelId, recipientNumber, platform }` into a chat of a channel. */
@Injectable()
export class SendTargetResolver {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly channels: ChannelsService,
    private readonly contacts: ContactsService,
    private readonly sessions: ChannelProviders,
  ) {}

  async resolve(clientIdentifier: string, fields: TargetFields): Promise<SendTarget> {
    const groupFields = (['channelId', 'recipientNumber', 'platform'] as const).filter((f) => fields[f] !== undefined);
    if (fields.sessionId !== undefined) {
      if (groupFields.length > 0) throw targetProblem(groupFields[0], `${groupFields[0]} is not allowed with sessionId: ${TARGET_HELP}`);
      return this.fromConversation(clientIdentifier, fields.sessionId);
    }
    const missing = (['channelId', 'recipientNumber', 'platform'] as const).find((f) => !fields[f]);
    if (missing) throw targetProblem(groupFields.length ? missing : 'sessionId', groupFields.length ? `${missing} is required: ${TARGET_HELP}` : TARGET_HELP);
    return this.fromGroup(clientIdentifier, fields.channelId!, fields.recipientNumber!, fields.platform!);
  }

  /**
   * 422 CHANNEL_NOT_READY (details: state, reason) unless the channel's WhatsApp session is READY, or
   * moving between server processes (it comes back by itself; the send waits in its queue).
   */
  async assertReady(clientIdentifier: string, channelId: string): Promise<void> {
    const status = await this.sessions.getStatus(clientIdentifier, channelId);
    if (status.state !== 'READY' && !isMoving(status.state, status.reason))
      throw AppError.unprocessable(WhatsappErrorCode.CHANNEL_NOT_READY, `The WhatsApp session of channel ${channelId} is not connected (state ${status.state})`, {
        state: status.state,
        reason: status.reason,
      });
  }

  private async fromConversation(clientIdentifier: string, sessionId: string): Promise<SendTarget> {
    const conversation = await this.conversations.requireOpen(clientIdentifier, sessionId);
    const channel = await this.channels.getById(clientIdentifier, conversation.channelId);
    return {
      clientIdentifier,
      channel,
      chatId: conversation.chatId,
      isGroup: conversation.isGroup,
      contactId: conversation.contactId,
      conversationId: conversation.id,
      platform: conversation.platform,
    };
  }

  private async fromGroup(clientIdentifier: string, channelId: string, recipientNumber: string, platform: string): Promise<SendTarget> {
    const channel = await this.channels.getById(clientIdentifier, channelId);
    if (!channel.platforms.some((p) => p.slug === platform))
      throw AppError.badRequest(MessageErrorCode.UNKNOWN_PLATFORM, `Channel ${channelId} has no platform "${platform}"`, [
        { field: 'platform', messages: [`one of: ${channel.platforms.map((p) => p.slug).join(', ')}`] },
      ]);
    let groupId: string;
    try {
      groupId = normalizeGroupId(recipientNumber);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      throw AppError.badRequest(err.code, err.message, [{ field: 'recipientNumber', messages: ['the WhatsApp group id, e.g. 120363012345678901@g.us'] }]);
    }
    const contact = await this.contacts.findOrCreate(clientIdentifier, channel.id, { contactIdentifier: groupId, type: 'group' });
    const open = await this.conversations.findOpenFor(clientIdentifier, channel.id, contact.id, platform);
    return { clientIdentifier, channel, chatId: groupId, isGroup: true, contactId: contact.id, conversationId: open?.id, platform };
  }
}
