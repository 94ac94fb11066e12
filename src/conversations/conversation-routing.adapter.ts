import { Injectable } from '@nestjs/common';
import { ConversationRouting, OpenConversation } from '../inbound/conversation-routing';
import { ConversationsService } from './conversations.service';

/** Tells the inbound pipeline which conversation (and so which platform) a contact's messages belong to. */
@Injectable()
export class ConversationRoutingAdapter extends ConversationRouting {
  constructor(private readonly conversations: ConversationsService) {
    super();
  }

  async findOpen(clientIdentifier: string, channelId: string, contactId: string): Promise<OpenConversation | undefined> {
    const open = await this.conversations.findOpenForContact(clientIdentifier, channelId, contactId);
    return open ? { id: open.id, platform: open.platform } : undefined;
  }
}
