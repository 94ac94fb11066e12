import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * A conversation ("session" in the SDK guide: its id is the `sessionId` messages are sent to) between
 * a contact and a platform over a channel. `openKey` (channelId:contactId:platform) exists only while
 * the conversation is open; its unique sparse index lets the database, not the code, decide which of
 * two simultaneous starts wins (works on FerretDB and MongoDB: documents without the field are many).
 */
@Schema({ collection: 'conversations', timestamps: true })
export class Conversation {
  @Prop({ required: true })
  clientIdentifier!: string;

  @Prop({ required: true })
  service!: string;

  @Prop({ required: true })
  channelId!: string;

  @Prop({ required: true })
  platformConfigId!: string;

  @Prop({ required: true })
  contactId!: string;

  /** The contact's identifier as stored (digits with country code, or a group id). */
  @Prop({ required: true })
  clientProviderId!: string;

  @Prop({ required: true })
  chatId!: string;

  @Prop({ required: true })
  isGroup!: boolean;

  @Prop({ required: true })
  platform!: string;

  @Prop()
  userName?: string;

  @Prop()
  companyName?: string;

  @Prop({ required: true, default: false })
  sessionWithPriority!: boolean;

  @Prop({ required: true })
  status!: string;

  @Prop({ unique: true, sparse: true })
  openKey?: string;

  @Prop()
  endedAt?: Date;

  createdAt?: Date;
  updatedAt?: Date;
}

export const ConversationSchema = SchemaFactory.createForClass(Conversation);
ConversationSchema.index({ clientIdentifier: 1, channelId: 1, status: 1, createdAt: -1 });
ConversationSchema.index({ clientIdentifier: 1, contactId: 1, createdAt: -1 });
