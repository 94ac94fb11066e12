import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { WEBHOOK_EVENT_STATES, WEBHOOK_EVENT_TYPES, type WebhookEventState, type WebhookEventType } from '../webhook-event.types';

@Schema({ _id: false })
export class WebhookAttemptDoc {
  @Prop({ required: true }) at!: Date;
  @Prop({ required: true }) attempt!: number;
  @Prop() status?: number;
  @Prop({ required: true }) latencyMs!: number;
  @Prop() error?: string;
  @Prop({ required: true }) outcome!: string;
}
const WebhookAttemptSchema = SchemaFactory.createForClass(WebhookAttemptDoc);

/** The one collection of webhook events: the outbox and the delivery log. */
export const WEBHOOK_EVENTS_COLLECTION = 'webhook_events';

/**
 * One webhook event with its delivery log, in `webhook_events` from the moment it is recorded
 * (before its BullMQ job exists, so Redis losing the job, or a crash between the two, loses
 * nothing) until retention deletes it. Its `state` moves pending → failed (a retry is due) →
 * delivered | dead, and back to pending on a replay, each move a guarded update
 * (WebhookEventsRepository).
 */
@Schema({ collection: WEBHOOK_EVENTS_COLLECTION, timestamps: true })
export class WebhookEvent {
  /** The event id: unique without a second index, so a second insert of an event is refused. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) key!: string;
  @Prop({ required: true }) clientIdentifier!: string;
  @Prop({ required: true }) channelId!: string;
  @Prop({ required: true }) platform!: string;
  @Prop({ required: true, enum: WEBHOOK_EVENT_TYPES, type: String }) type!: WebhookEventType;
  @Prop() chatId?: string;
  @Prop() seq?: number;
  @Prop({ required: true }) body!: string;
  @Prop({ required: true, enum: WEBHOOK_EVENT_STATES, type: String }) state!: WebhookEventState;
  @Prop({ type: [WebhookAttemptSchema], default: [] }) attempts!: WebhookAttemptDoc[];
  @Prop({ default: 0 }) attemptCount!: number;
  @Prop({ default: 0 }) failures!: number;
  @Prop({ default: 0 }) replays!: number;
  @Prop() firstAttemptAt?: Date;
  @Prop() nextAttemptAt?: Date;
  @Prop() deliveredAt?: Date;
  @Prop() lastStatus?: number;
  @Prop() lastError?: string;
  createdAt!: Date;
  updatedAt!: Date;
}

/*
 * Every query below filters by equality on its first fields, so MongoDB serves it from these
 * indexes and the embedded store from the GIN index of each field (docs/ferretdb.md).
 */
export const WebhookEventSchema = SchemaFactory.createForClass(WebhookEvent);
// Sweeper: open events (one query per open state: few documents) overdue by nextAttemptAt.
WebhookEventSchema.index({ state: 1, nextAttemptAt: 1 });
// Retention: finished events (one query per finished state) older than a date.
WebhookEventSchema.index({ state: 1, createdAt: 1 });
// Delivery log of an account, newest first, and its filters; the console's attempts.
WebhookEventSchema.index({ clientIdentifier: 1, createdAt: -1 });
// Bulk replay: failed or dead events of one endpoint since a time.
WebhookEventSchema.index({ clientIdentifier: 1, channelId: 1, platform: 1, state: 1, createdAt: 1 });

/**
 * `webhook_chat_sequences`: one counter per chat (`<channelId>:<chatId>`) for the payload's
 * `chat.seq`; it holds the highest number handed out in blocks (see ChatSequencer).
 */
@Schema({ collection: 'webhook_chat_sequences', versionKey: false })
export class ChatSequence {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true, default: 0 }) seq!: number;
}
export const ChatSequenceSchema = SchemaFactory.createForClass(ChatSequence);
