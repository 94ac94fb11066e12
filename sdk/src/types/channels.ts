import type * as Api from '../generated';
import type { OperationInput } from '../routes/operation-input';

/** SDK guide 1.1. */
export type SetupWhatsappWebDto = Omit<OperationInput<'POST /channels/setup/{service}'>, 'service'>;

export type WhatsappWebProviderDto = Api.WhatsappWebProviderDto;

/**
 * Meta's WhatsApp Cloud API: the number's ids and the Meta app's secrets. The secrets are stored
 * encrypted and never returned (reads show previews in `credentials`).
 */
export type WhatsappCloudProviderDto = Api.WhatsappCloudProviderDto;

/** 360dialog's hosted Cloud API (the guide's "D360"): the number's API key (stored encrypted, never returned). */
export type D360ProviderDto = Api.D360ProviderDto;

// POST /channels/setup/{service} is one operation whose documented body is the WhatsApp Web one; the two
// official-API bodies below combine it with their provider schemas from the document, and are checked
// against the route table (SetupApi).
type Flatten<T> = { [K in keyof T]: T[K] };

/** `SetupApi.setup(dto, MessageServiceEnum.whatsappcloud)`: a channel on Meta's WhatsApp Cloud API. */
export type SetupWhatsappCloudDto = Flatten<Omit<SetupWhatsappWebDto, 'provider'> & { provider: WhatsappCloudProviderDto }>;

/** `SetupApi.setup(dto, MessageServiceEnum.d360)`: a channel on 360dialog. The server sets 360dialog's webhook during setup. */
export type SetupD360Dto = Flatten<Omit<SetupWhatsappWebDto, 'provider'> & { provider: D360ProviderDto }>;

/** The setup body of each service. */
export interface SetupDtoByService {
  whatsappweb: SetupWhatsappWebDto;
  whatsappcloud: SetupWhatsappCloudDto;
  d360: SetupD360Dto;
}

export type PlatformDto = Api.PlatformDto;

/** A platform's webhook endpoint as reads show it (the secret only as a preview). */
export interface PlatformEndpoint extends Api.PlatformEndpointResponse {}

/** An endpoint with its full Standard Webhooks secret (`whsec_…`): only when created or rotated. */
export interface PlatformEndpointWithSecret extends Api.PlatformEndpointWithSecretResponse {}

/** A rotated secret: until `previousSecretExpiresAt` deliveries may also carry a signature made with the previous one. */
export interface RotatedSecret extends Api.RotatedSecretResponse {}

/** A channel's provider: `clientNumber` and `companyId`, plus the number's ids on official-API channels. */
export interface ChannelProvider extends Api.ProviderResponse {
  /** whatsappcloud: the Cloud API phone number id. */
  phoneNumberId?: string;
  /** whatsappcloud: the WhatsApp Business Account id. */
  wabaId?: string;
  /** whatsappcloud: the Graph API version the channel calls. */
  apiVersion?: string;
}

/**
 * Official-API channels: which secrets are stored, each as a preview of its last characters
 * (`{ accessToken: '…cdef', appSecret: '…', … }`, `{ apiKey: '…cdef', webhookToken: '…' }`). The values are never returned.
 */
export type ChannelCredentials = Record<string, string>;

// `provider`'s official-API ids and `credentials` are answered by the server (ChannelView) but not yet
// in the OpenAPI document's ChannelResponse: added here, optional.
/** A channel (`id` is the channelId). */
export interface Channel extends Api.ChannelResponse {
  provider: ChannelProvider;
  credentials?: ChannelCredentials;
}

/** What `SetupApi.setup` answers: the channel, `channelId`, `platformConfigId` and each platform's signing secret (shown once). */
export interface PlatformConfig extends Api.SetupResponse {
  provider: ChannelProvider;
  credentials?: ChannelCredentials;
}

export interface Deleted extends Api.DeletedResponse {}

export type ChannelRefDto = OperationInput<'GET /channels/{channelId}'>;

export type UpdateChannelDto = OperationInput<'PATCH /channels/{channelId}'>;

export type GetPlatformConfigDto = OperationInput<'GET /platform-configs/{platformConfigId}'>;

export type AddPlatformDto = OperationInput<'POST /channels/{channelId}/platforms'>;

export type PlatformRefDto = OperationInput<'GET /channels/{channelId}/platforms/{slug}'>;

export type UpdatePlatformDto = OperationInput<'PATCH /channels/{channelId}/platforms/{slug}'>;
