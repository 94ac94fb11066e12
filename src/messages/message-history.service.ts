import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { Page, PageQuery, pageWindow, toPage } from '../common/pagination/pagination';
import { toChatId } from '../contacts/contact-identifier';
import { ContactsService } from '../contacts/contacts.service';
import { ConversationsService } from '../conversations/conversations.service';
import { MessageView } from './message.types';
import { MessageErrorCode } from './messages.errors';
import { MessagesRepository, publicView } from './messages.repository';

/** Reads: one message, the history of a conversation, the history of a contact. */
@Injectable()
export class MessageHistoryService {
  constructor(
    private readonly repository: MessagesRepository,
    private readonly conversations: ConversationsService,
    private readonly contacts: ContactsService,
  ) {}

  async get(clientIdentifier: string, id: string): Promise<MessageView> {
    const found = await this.repository.findById(clientIdentifier, id);
    if (!found) throw AppError.notFound(MessageErrorCode.MESSAGE_NOT_FOUND, `Message ${id} not found`);
    return publicView(found);
  }

  /** Messages of the conversation, plus unlinked messages of its chat while it was open. */
  async ofConversation(clientIdentifier: string, conversationId: string, q: PageQuery): Promise<Page<MessageView>> {
    const conversation = await this.conversations.getById(clientIdentifier, conversationId);
    const window = pageWindow(q);
    const { data, total } = await this.repository.history(
      clientIdentifier,
      { conversationId, chat: { channelId: conversation.channelId, chatId: conversation.chatId, from: conversation.createdAt, to: conversation.endedAt } },
      window,
    );
    return toPage(data, total, window.page, window.limit);
  }

  /** Every message with the contact, across its conversations. */
  async ofContact(clientIdentifier: string, contactId: string, q: PageQuery): Promise<Page<MessageView>> {
    const contact = await this.contacts.getById(clientIdentifier, contactId);
    const window = pageWindow(q);
    const { data, total } = await this.repository.history(clientIdentifier, { contactId, chat: { channelId: contact.channelId, chatId: toChatId(contact) } }, window);
    return toPage(data, total, window.page, window.limit);
  }
}
