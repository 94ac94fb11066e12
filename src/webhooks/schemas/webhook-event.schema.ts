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

/**
 * One webhook event with its delivery log. Stored in two collections of the same shape:
 * - `webhook_outbox`: open events (pending, failed). A row is written before its BullMQ job
 *   exists, so Redis losing the job (or a crash between the two) loses nothing: the sweeper
 *   re-enqueues open rows that have no live job.
 * - `webhook_events`: finished events (delivered, dead), written once when they finish.
 * The split keeps the rows that are updated (one per attempt) in a collection that holds only
 * what is in flight: FerretDB scans the whole collection for every update, even by _id.
 */
@Schema({ timestamps: true })
export class WebhookEvent {
  /**
   * The event id. Being `_id` makes it unique without a second index, and keeps the worker's
   * reads and writes on the primary key (FerretDB scans for any other field).
   */
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

function eventSchema() {
  const schema = SchemaFactory.createForClass(WebhookEvent);
  // Delivery log listing of an account (newest first) and its filters.
  schema.index({ clientIdentifier: 1, createdAt: -1 });
  // Bulk replay: failed or dead events of one endpoint since a time.
  schema.index({ clientIdentifier: 1, channelId: 1, platform: 1, state: 1, createdAt: 1 });
  return schema;
}

export const OUTBOX_MODEL = 'WebhookOutboxEvent';
export const OutboxEventSchema = eventSchema();
// Sweeper: open events that are overdue.
OutboxEventSchema.index({ state: 1, nextAttemptAt: 1 });
export const FinishedEventSchema = eventSchema();

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
