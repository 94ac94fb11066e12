import { Module, OnModuleInit, Injectable } from '@nestjs/common';
import { ChannelHooks } from '../channels/channel-hooks';
import { ChannelsModule } from '../channels/channels.module';
import { ContactHooks } from '../contacts/contact-hooks';
import { toChatId } from '../contacts/contact-identifier';
import { ContactsModule } from '../contacts/contacts.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { MediaModule } from '../media/media.module';
import { MediaFetcher } from './content/media-fetcher';
import { FailedSendRetry } from './failed-send-retry.service';
import { MessageActionsService } from './message-actions.service';
import { MessageHistoryController } from './message-history.controller';
import { MessageHistoryService } from './message-history.service';
import { MessagesStoreModule } from './messages-store.module';
import { MessagesRepository } from './messages.repository';
import { MessagesController } from './messages.controller';
import { OutboundMessagesService } from './outbound-messages.service';
import { SendProcessor } from './pipeline/send-processor';
import { SentLedger } from './pipeline/sent-ledger';
import { SendQueues } from './pipeline/send-queues';
import { SendWorkers } from './pipeline/send-workers';
import { SendTargetResolver } from './send-target.resolver';
import { ServiceWindow } from './service-window';
import { ProvidersModule } from '../providers/providers.module';

/**
 * Deleting a channel deletes its messages and drops its send queue before the delete answers;
 * deleting a contact deletes its messages.
 */
@Injectable()
class MessagesCleanup implements OnModuleInit {
  constructor(
    private readonly hooks: ChannelHooks,
    private readonly repository: MessagesRepository,
    private readonly workers: SendWorkers,
    private readonly queues: SendQueues,
    private readonly contactHooks: ContactHooks,
  ) {}

  onModuleInit(): void {
    // Decision (docs/channels-contacts-tags.md): a deleted contact's messages go with it. Queued sends
    // to it then find no message and are skipped; one already handed to WhatsApp still goes out.
    this.contactHooks.onDeleted(async (clientIdentifier, contact) => {
      await this.repository.deleteByContact(clientIdentifier, { channelId: contact.channelId, contactId: contact.id, chatId: toChatId(contact) });
    });
    this.hooks.register({
      channelDeleted: async (clientIdentifier, channelId) => {
        await this.workers.stop(channelId);
        await this.queues.drop(channelId);
        await this.repository.deleteByChannel(clientIdentifier, channelId);
      },
    });
  }
}

/**
 * Messages: storage (shared with the inbound pipeline through MessagesStoreModule), media, the
 * outbound pipeline (accept → store → per-channel send queue → WhatsApp) and message history.
 */
@Module({
  imports: [MessagesStoreModule, MediaModule, ChannelsModule, ContactsModule, ConversationsModule, ProvidersModule],
  controllers: [MessagesController, MessageHistoryController],
  providers: [
    SendTargetResolver,
    ServiceWindow,
    MediaFetcher,
    SendQueues,
    SendProcessor,
    SentLedger,
    SendWorkers,
    OutboundMessagesService,
    FailedSendRetry,
    MessageActionsService,
    MessageHistoryService,
    MessagesCleanup,
  ],
  exports: [MessagesStoreModule, MediaModule],
})
export class MessagesModule {}
