/**
 * The messaging services a channel can run on: WhatsApp Web (a linked device in a browser), Meta's
 * WhatsApp Cloud API, and 360dialog's hosted Cloud API (the guide's "D360"). See docs/providers.md.
 */
export const MESSAGE_SERVICES = ['whatsappweb', 'whatsappcloud', 'd360'] as const;
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
  provider: { clientNumber: string; companyId: string; phoneNumberId?: string; wabaId?: string; apiVersion?: string };
  /** Official API channels: which secrets are stored, as previews (`…1a2b`); the values are never returned. */
  credentials?: Record<string, string>;
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
