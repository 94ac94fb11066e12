import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ChannelsModule } from '../channels/channels.module';
import { ContactsModule } from '../contacts/contacts.module';
import { ConversationRouting } from '../inbound/conversation-routing';
import { ConversationRoutingAdapter } from './conversation-routing.adapter';
import { ConversationsController } from './conversations.controller';
import { ConversationsRepository } from './conversations.repository';
import { ConversationsService } from './conversations.service';
import { Conversation, ConversationSchema } from './schemas/conversation.schema';

/** Conversations (SDK guide 4): start, get, list, end. Message history routes live in MessagesModule. */
@Module({
  imports: [MongooseModule.forFeature([{ name: Conversation.name, schema: ConversationSchema }]), ChannelsModule, ContactsModule],
  controllers: [ConversationsController],
  providers: [ConversationsRepository, ConversationsService, { provide: ConversationRouting, useClass: ConversationRoutingAdapter }],
  exports: [ConversationsService, ConversationRouting],
})
export class ConversationsModule {}
