import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { MESSAGE_SERVICES, type MessageService } from '../channel.types';

/** Where a platform (e.g. `karoochat`) receives this channel's webhooks, and the secret that signs them. */
@Schema({ _id: false })
export class PlatformEndpoint {
  @Prop({ required: true })
  slug!: string;

  @Prop({ required: true })
  callbackUrl!: string;

  @Prop({ required: true, default: true })
  enabled!: boolean;

  @Prop()
  disabledReason?: string;

  /** Standard Webhooks secret `whsec_<base64>`: stored because signing needs it; never returned by reads. */
  @Prop({ required: true })
  secret!: string;

  /** The secret before the last rotation, still offered to delivery until previousSecretExpiresAt. */
  @Prop()
  previousSecret?: string;

  @Prop()
  previousSecretExpiresAt?: Date;

  @Prop()
  secretRotatedAt?: Date;
}
export const PlatformEndpointSchema = SchemaFactory.createForClass(PlatformEndpoint);

@Schema({ _id: false })
export class ProviderSettings {
  /** The WhatsApp number the channel runs on, normalised (digits with country code). */
  @Prop({ required: true })
  clientNumber!: string;

  @Prop({ required: true })
  companyId!: string;

  /** Official API: the number's id at Meta (routes sends and matches inbound webhooks). */
  @Prop()
  phoneNumberId?: string;

  @Prop()
  wabaId?: string;

  @Prop()
  apiVersion?: string;
}
export const ProviderSettingsSchema = SchemaFactory.createForClass(ProviderSettings);

/**
 * A channel: one WhatsApp number of an account and the platforms its events go to.
 * The platform configuration (platformConfigId) is the same record under a second id, as the
 * SDK guide hands both ids to onboarding and conversations.
 */
@Schema({ collection: 'channels', timestamps: true })
export class Channel {
  @Prop({ required: true })
  clientIdentifier!: string;

  @Prop({ required: true, unique: true })
  platformConfigId!: string;

  @Prop({ type: String, required: true, enum: MESSAGE_SERVICES })
  service!: MessageService;

  @Prop({ type: ProviderSettingsSchema, required: true })
  provider!: ProviderSettings;

  /** Official API secrets, AES-256-GCM encrypted (CredentialsCipher); never returned by reads. */
  @Prop()
  credentials?: string;

  /** What reads show of those secrets (`…1a2b`), written with them. */
  @Prop({ type: Object })
  credentialsPreview?: Record<string, string>;

  @Prop({ type: [PlatformEndpointSchema], default: [] })
  platforms!: PlatformEndpoint[];

  @Prop({ required: true })
  startingPlatform!: string;

  @Prop()
  description?: string;

  /** Optimistic concurrency for read-modify-write of `platforms` (FerretDB has no positional updates). */
  @Prop({ required: true, default: 0 })
  version!: number;

  createdAt!: Date;
  updatedAt!: Date;
}

export const ChannelSchema = SchemaFactory.createForClass(Channel);
ChannelSchema.index({ clientIdentifier: 1, _id: 1 });
// One channel per number and service in an account: two sessions on one number would fight.
ChannelSchema.index({ clientIdentifier: 1, service: 1, 'provider.clientNumber': 1 }, { unique: true });
ChannelSchema.index({ service: 1 });
