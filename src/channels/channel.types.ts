/** The messaging services a channel can run on. Only WhatsApp Web today; the official API will join. */
export const MESSAGE_SERVICES = ['whatsappweb'] as const;
export type MessageService = (typeof MESSAGE_SERVICES)[number];

export function isMessageService(value: string): value is MessageService {
  return (MESSAGE_SERVICES as readonly string[]).includes(value);
}

/** A platform endpoint as reads show it: the signing secret only as a preview. */
export interface PlatformEndpointView {
  slug: string;
  callbackUrl: string;
  enabled: boolean;
  disabledReason?: string;
  secretPreview: string;
}

export interface ChannelView {
  /** The channelId. */
  id: string;
  /** Id of the channel's platform configuration (returned by setup, used by onboarding and conversations). */
  platformConfigId: string;
  clientIdentifier: string;
  service: MessageService;
  provider: { clientNumber: string; companyId: string };
  platforms: PlatformEndpointView[];
  startingPlatform: string;
  description?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** An endpoint with its full signing secret: only setup, add-platform and rotate return this. */
export interface PlatformEndpointWithSecret extends PlatformEndpointView {
  secret: string;
}

/** What setup answers: the channel, its ids under the names the SDK uses, and each endpoint's secret (shown once). */
export interface SetupResult extends Omit<ChannelView, 'platforms'> {
  channelId: string;
  platforms: PlatformEndpointWithSecret[];
}

/** For webhook delivery only. `previousSecret` is set for a while after a rotation (see docs). */
export interface DeliveryEndpoint {
  slug: string;
  callbackUrl: string;
  enabled: boolean;
  secret: string;
  previousSecret?: string;
}
