import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

/**
 * `inbound_journal`: every engine event as it arrived, written before anything else and
 * removed once it has been applied (message stored, webhook events recorded). What WhatsApp
 * Web handed to a process that then died is replayed from here.
 */
@Schema({ collection: 'inbound_journal', versionKey: false })
export class InboundJournalEntry {
  @Prop({ required: true }) clientIdentifier!: string;
  @Prop({ required: true }) channelId!: string;
  /** The InboundEngineEvent, as the engine gave it. */
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) event!: Record<string, unknown>;
  @Prop({ required: true }) receivedAt!: Date;
}

export const InboundJournalSchema = SchemaFactory.createForClass(InboundJournalEntry);
InboundJournalSchema.index({ receivedAt: 1 });
