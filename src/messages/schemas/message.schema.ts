import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { MessageLocation, MessageMedia, MessageView, OutboundSpec } from '../message.types';

const LocationSchema = new MongooseSchema(
  { latitude: Number, longitude: Number, name: String, address: String, url: String },
  { _id: false },
);
const MediaRefSchema = new MongooseSchema(
  { mediaId: String, mimetype: String, filename: String, size: Number, sha256: String, voice: Boolean },
  { _id: false },
);
const RevokedSchema = new MongooseSchema({ at: Date, outcome: String, by: String }, { _id: false });
const EditSchema = new MongooseSchema({ body: String, at: Date }, { _id: false });
const ReactionSchema = new MongooseSchema({ senderId: String, emoji: String, at: Date }, { _id: false });
const DeliverySchema = new MongooseSchema({ state: String, platform: String, reason: String }, { _id: false });
const OutboundSchema = new MongooseSchema(
  {
    op: String,
    forwardOf: String,
    quotedMessageId: String,
    asVoice: Boolean,
    asDocument: Boolean,
    linkPreview: Boolean,
    attempts: Number,
    extraWaMessageIds: { type: [String], default: undefined },
    requestHash: String,
    retries: Number,
    failures: { type: [new MongooseSchema({ at: Date, reason: String, waMessageId: String }, { _id: false })], default: undefined },
  },
  { _id: false },
);

/**
 * Every message of every chat, both directions (one history per conversation and contact).
 * `waKey` (= channelId:waMessageId) is the lookup by WhatsApp id and makes inbound storage
 * idempotent; `idemKey` (= idem:clientIdentifier:Idempotency-Key) makes retried API sends
 * idempotent. Each is a unique sparse single-field index: MongoDB leaves documents without the
 * field out of it; FerretDB 1.24 drops the `sparse` flag but its unique index lets any number of
 * documents lack the field too. On both an explicit null is a value, so the fields are set or
 * absent, never null (test/messages/message-store-legacy.e2e-spec.ts). A compound unique index
 * would not do: MongoDB indexes a missing field as null there, and FerretDB has no partial index.
 */
@Schema({ collection: 'messages', timestamps: true })
export class Message {
  @Prop({ required: true })
  clientIdentifier!: string;

  @Prop({ required: true })
  channelId!: string;

  @Prop({ required: true })
  direction!: string;

  @Prop()
  waMessageId?: string;

  @Prop({ unique: true, sparse: true })
  waKey?: string;

  @Prop({ unique: true, sparse: true })
  idemKey?: string;

  @Prop({ required: true })
  chatId!: string;

  @Prop()
  contactId?: string;

  @Prop()
  conversationId?: string;

  @Prop({ required: true, default: false })
  isGroup!: boolean;

  @Prop()
  senderId?: string;

  @Prop()
  senderName?: string;

  @Prop({ required: true, default: false })
  fromMe!: boolean;

  @Prop({ required: true })
  kind!: string;

  @Prop()
  body?: string;

  @Prop()
  caption?: string;

  @Prop()
  quotedWaMessageId?: string;

  @Prop()
  isForwarded?: boolean;

  @Prop({ type: LocationSchema })
  location?: MessageLocation;

  @Prop({ type: [String], default: undefined })
  vcards?: string[];

  @Prop({ type: MediaRefSchema })
  media?: MessageMedia;

  /** Official API: the buttons or list sent (kind interactive). */
  @Prop({ type: MongooseSchema.Types.Mixed })
  interactive?: MessageView['interactive'];

  /** Official API: the template sent by name, language and parameters (kind template). */
  @Prop({ type: MongooseSchema.Types.Mixed })
  template?: MessageView['template'];

  /** Official API: the reply button or list row the customer chose (inbound). */
  @Prop({ type: MongooseSchema.Types.Mixed })
  interactiveReply?: MessageView['interactiveReply'];

  /** WhatsApp ids mentioned in an inbound message; absent when none. */
  @Prop({ type: [String], default: undefined })
  mentions?: string[];

  @Prop({ required: true })
  status!: string;

  @Prop()
  statusReason?: string;

  /** When each status was reached (queued, sent, delivered, read, played, failed). */
  @Prop({ type: MongooseSchema.Types.Mixed })
  statusTimes?: MessageView['statusTimes'];

  @Prop({ type: RevokedSchema })
  revoked?: MessageView['revoked'];

  @Prop({ type: [EditSchema], default: undefined })
  edits?: MessageView['edits'];

  @Prop({ type: [ReactionSchema], default: undefined })
  reactions?: MessageView['reactions'];

  @Prop()
  agentName?: string;

  @Prop()
  platform?: string;

  @Prop({ required: true })
  timestamp!: Date;

  @Prop({ type: DeliverySchema })
  delivery?: MessageView['delivery'];

  /** What the send worker needs beyond the visible content (outbound messages only). */
  @Prop({ type: OutboundSchema })
  outbound?: OutboundSpec;

  createdAt?: Date;
  updatedAt?: Date;
}

export const MessageSchema = SchemaFactory.createForClass(Message);
MessageSchema.index({ clientIdentifier: 1, conversationId: 1, timestamp: -1 });
MessageSchema.index({ clientIdentifier: 1, contactId: 1, timestamp: -1 });
MessageSchema.index({ clientIdentifier: 1, channelId: 1, chatId: 1, timestamp: -1 });
MessageSchema.index({ channelId: 1, status: 1, createdAt: 1 });
MessageSchema.index({ 'delivery.state': 1, createdAt: 1 });
