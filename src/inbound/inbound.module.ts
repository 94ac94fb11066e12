import { Module } from '@nestjs/common';
import { ChannelsModule } from '../channels/channels.module';
import { ContactsModule } from '../contacts/contacts.module';
import { MediaModule } from '../media/media.module';
import { MessagesStoreModule } from '../messages/messages-store.module';
import { InboundEventSink } from '../whatsapp/engine/inbound-sink.port';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ChatEventHandler } from './chat-event.handler';
import { DomainEventWebhooks } from './domain-event-webhooks';
import { InboundJournal } from './inbound-journal';
import { InboundMessageHandler } from './inbound-message.handler';
import { InboundPipeline } from './inbound-pipeline';
import { InboundRecovery } from './inbound-recovery.service';
import { InboundRouter } from './inbound-router';

/**
 * The inbound pipeline: WhatsApp events in (journaled first), stored messages and webhook
 * events out. Provides the InboundEventSink the session manager looks up (ModuleRef, strict: false).
 */
@Module({
  imports: [
    ChannelsModule,
    ContactsModule,
    MessagesStoreModule,
    MediaModule,
    WebhooksModule,
  ],
  providers: [
    InboundJournal,
    InboundPipeline,
    { provide: InboundEventSink, useExisting: InboundPipeline },
    InboundMessageHandler,
    ChatEventHandler,
    InboundRouter,
    DomainEventWebhooks,
    InboundRecovery,
  ],
  exports: [InboundEventSink],
})
export class InboundModule {}
