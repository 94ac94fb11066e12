import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';
import { SESSION_STATES, SessionState } from '../session-state';

/**
 * The last known state of a channel's WhatsApp Web session, written by the process that owns
 * it, so any process can answer status. `linked` and `autoStart` decide what boot restores.
 */
@Schema({ collection: 'whatsapp_sessions', timestamps: true })
export class WhatsappSession {
  @Prop({ required: true, unique: true })
  channelId!: string;

  @Prop({ required: true, index: true })
  clientIdentifier!: string;

  @Prop({ type: String, required: true, enum: SESSION_STATES, default: 'STOPPED' })
  state!: SessionState;

  @Prop()
  reason?: string;

  /** The QR text while in state QR (cleared otherwise). */
  @Prop()
  qr?: string;

  @Prop()
  qrExpiresAt?: Date;

  /** Own WhatsApp id once connected (`5521…@c.us`). */
  @Prop()
  me?: string;

  @Prop()
  pushname?: string;

  /** A device link exists (auth data on the data volume): boot restores it without a scan. */
  @Prop({ required: true, default: false, index: true })
  linked!: boolean;

  /** Whether the session should run: false after an explicit stop, so boot leaves it stopped. */
  @Prop({ required: true, default: false })
  autoStart!: boolean;

  /** Server process that last wrote the state (the lease in Redis is the authority). */
  @Prop()
  owner?: string;

  @Prop()
  lastReadyAt?: Date;

  createdAt?: Date;
  updatedAt?: Date;
}

export type WhatsappSessionDocument = HydratedDocument<WhatsappSession>;
export const WhatsappSessionSchema = SchemaFactory.createForClass(WhatsappSession);
