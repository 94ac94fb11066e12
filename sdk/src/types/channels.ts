import type * as Api from '../generated';
import type { OperationInput } from '../routes/operation-input';

/** SDK guide 1.1. */
export type SetupWhatsappWebDto = Omit<OperationInput<'POST /channels/setup/{service}'>, 'service'>;

export type PlatformDto = Api.PlatformDto;

/** A platform's webhook endpoint as reads show it (the secret only as a preview). */
export interface PlatformEndpoint extends Api.PlatformEndpointResponse {}

/** An endpoint with its full Standard Webhooks secret (`whsec_…`): only when created or rotated. */
export interface PlatformEndpointWithSecret extends Api.PlatformEndpointWithSecretResponse {}

/** A rotated secret: until `previousSecretExpiresAt` deliveries may also carry a signature made with the previous one. */
export interface RotatedSecret extends Api.RotatedSecretResponse {}

/** A channel (`id` is the channelId). */
export interface Channel extends Api.ChannelResponse {}

/** What `SetupApi.setup` answers: the channel, `channelId`, `platformConfigId` and each platform's signing secret (shown once). */
export interface PlatformConfig extends Api.SetupResponse {}

export interface Deleted extends Api.DeletedResponse {}

export type ChannelRefDto = OperationInput<'GET /channels/{channelId}'>;

export type UpdateChannelDto = OperationInput<'PATCH /channels/{channelId}'>;

export type GetPlatformConfigDto = OperationInput<'GET /platform-configs/{platformConfigId}'>;

export type AddPlatformDto = OperationInput<'POST /channels/{channelId}/platforms'>;

export type PlatformRefDto = OperationInput<'GET /channels/{channelId}/platforms/{slug}'>;

export type UpdatePlatformDto = OperationInput<'PATCH /channels/{channelId}/platforms/{slug}'>;
