/** A platform endpoint as delivery needs it. `previousSecret` signs too for a while after a rotation. */
export interface WebhookEndpoint {
  slug: string;
  callbackUrl: string;
  enabled: boolean;
  secret: string;
  previousSecret?: string;
}

/**
 * Where delivery finds endpoints and reports the ones that must stop (410). Implemented over
 * ChannelsService; an abstract class so tests register a fake under the same token.
 */
export abstract class WebhookEndpoints {
  /** `fresh`: skip any cache (API calls such as replay, right after the platform was re-enabled). */
  abstract get(clientIdentifier: string, channelId: string, slug: string, opts?: { fresh?: boolean }): Promise<WebhookEndpoint | undefined>;
  abstract disable(clientIdentifier: string, channelId: string, slug: string, reason: string): Promise<void>;
}
