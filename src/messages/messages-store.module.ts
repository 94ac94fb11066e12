import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MessageKeysMigration } from './message-keys.migration';
import { MessageStatusService } from './message-status.service';
import { MessagesRepository } from './messages.repository';
import { Message, MessageSchema } from './schemas/message.schema';

/**
 * The messages collection and its status rules, with no dependency on WhatsApp sessions: the inbound
 * pipeline imports this module to store messages and apply acks, the send pipeline builds on it.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: Message.name, schema: MessageSchema }])],
  providers: [MessagesRepository, MessageStatusService, MessageKeysMigration],
  exports: [MessagesRepository, MessageStatusService],
})
export class MessagesStoreModule {}
