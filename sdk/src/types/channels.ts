import type { InferField } from '../routes/fields';
import type {
  channelShape,
  deletedShape,
  platformConfigShape,
  platformEndpointShape,
  platformEndpointWithSecretShape,
  rotatedSecretShape,
} from '../routes/channels.routes';

/** SDK guide 1.1. */
export interface SetupWhatsappWebDto {
  /** Your account; optional (the API key implies it), checked against the key when given. */
  clientIdentifier?: string;
  provider: {
    /** The WhatsApp number of the channel, with country code. */
    clientNumber: string;
    companyId: string;
  };
  /** One of the platforms' slugs. */
  startingPlatform: string;
  /** Where the channel's events are delivered (signed webhooks). */
  platforms: PlatformDto[];
  description?: string;
}

export interface PlatformDto {
  /** 1-64 lower-case letters, digits, "-" or "_". */
  slug: string;
  callbackUrl: string;
}

/** A platform's webhook endpoint as reads show it (the secret only as a preview). */
export interface PlatformEndpoint extends InferField<typeof platformEndpointShape> {}

/** An endpoint with its full Standard Webhooks secret (`whsec_…`): only when created or rotated. */
export interface PlatformEndpointWithSecret extends InferField<typeof platformEndpointWithSecretShape> {}

/** A rotated secret: until `previousSecretExpiresAt` deliveries may also carry a signature made with the previous one. */
export interface RotatedSecret extends InferField<typeof rotatedSecretShape> {}

/** A channel (`id` is the channelId). */
export interface Channel extends InferField<typeof channelShape> {}

/** What `SetupApi.setup` answers: the channel, `channelId`, `platformConfigId` and each platform's signing secret (shown once). */
export interface PlatformConfig extends InferField<typeof platformConfigShape> {}

export interface Deleted extends InferField<typeof deletedShape> {}

export interface ChannelRefDto {
  clientIdentifier?: string;
  channelId: string;
}

export interface UpdateChannelDto extends ChannelRefDto {
  startingPlatform?: string;
  /** An empty string removes it. */
  description?: string;
  provider?: { companyId?: string };
}

export interface GetPlatformConfigDto {
  clientIdentifier?: string;
  platformConfigId: string;
}

export interface AddPlatformDto extends ChannelRefDto {
  slug: string;
  callbackUrl: string;
}

export interface PlatformRefDto extends ChannelRefDto {
  slug: string;
}

export interface UpdatePlatformDto extends PlatformRefDto {
  callbackUrl?: string;
  /** Re-enable an endpoint that delivery disabled, or pause it. */
  enabled?: boolean;
}
