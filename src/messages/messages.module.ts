import { Module, OnModuleInit, Injectable } from '@nestjs/common';
import { ChannelHooks } from '../channels/channel-hooks';
import { ChannelsModule } from '../channels/channels.module';
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
import { WhatsappSessions } from './whatsapp-sessions';

/** Deleting a channel deletes its messages and drops its send queue before the delete answers. */
@Injectable()
class MessagesChannelCleanup implements OnModuleInit {
  constructor(
    private readonly hooks: ChannelHooks,
    private readonly repository: MessagesRepository,
    private readonly workers: SendWorkers,
    private readonly queues: SendQueues,
  ) {}

  onModuleInit(): void {
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
  imports: [MessagesStoreModule, MediaModule, ChannelsModule, ContactsModule, ConversationsModule],
  controllers: [MessagesController, MessageHistoryController],
  providers: [
    WhatsappSessions,
    SendTargetResolver,
    MediaFetcher,
    SendQueues,
    SendProcessor,
    SentLedger,
    SendWorkers,
    OutboundMessagesService,
    FailedSendRetry,
    MessageActionsService,
    MessageHistoryService,
    MessagesChannelCleanup,
  ],
  exports: [MessagesStoreModule, MediaModule],
})
export class MessagesModule {}
