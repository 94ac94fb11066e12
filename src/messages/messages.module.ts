import { Module } from '@nestjs/common';
import { MediaModule } from '../media/media.module';
import { MessagesStoreModule } from './messages-store.module';

/** Messages: storage (shared with the inbound pipeline), media, and the outbound pipeline. */
@Module({
  imports: [MessagesStoreModule, MediaModule],
  exports: [MessagesStoreModule, MediaModule],
})
export class MessagesModule {}
