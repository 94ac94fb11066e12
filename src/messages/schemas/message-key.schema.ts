import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * `channelId:waMessageId` → our message id. The lookup every engine event needs (acks, echoes,
 * revokes, reactions), kept as the `_id` of its own collection because FerretDB (SQLite) uses an
 * index only for a filter that is exactly `{ _id }`: any other lookup reads the whole collection.
 * Its unique `_id` is also what makes storing an inbound message idempotent.
 */
@Schema({ collection: 'message_keys', versionKey: false, timestamps: false })
export class MessageKey {
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ required: true })
  messageId!: string;

  @Prop({ required: true })
  clientIdentifier!: string;
}

export const MessageKeySchema = SchemaFactory.createForClass(MessageKey);
