import type { MessageService } from '../channels/channel.types';
import { EngineFeatureUnsupportedError } from '../whatsapp/engine/messaging-engine.port';

/**
 * What a provider can do beyond plain sends. Names are what clients see in `details.feature` of a
 * 422 ENGINE_FEATURE_UNSUPPORTED. Every kind of send needs its feature; a new provider declares its own set.
 */
export type ProviderFeature =
  | 'text'
  | 'media'
  | 'sticker'
  | 'contacts'
  | 'location'
  | 'reply'
  | 'reaction'
  | 'forward'
  | 'delete'
  | 'groups'
  | 'interactive'
  | 'location_request'
  | 'template'
  | 'mark_read'
  /** A linked device with a lifecycle (browser, QR, pairing code, start/stop/logout): WhatsApp Web only. */
  | 'session';

const BASICS: ProviderFeature[] = ['text', 'media', 'sticker', 'contacts', 'location', 'reply', 'reaction'];

/** The official API (Meta's Cloud API and 360dialog's hosted copy of it). */
const CLOUD: ProviderFeature[] = [...BASICS, 'interactive', 'location_request', 'template', 'mark_read'];

export const PROVIDER_FEATURES: Record<MessageService, ReadonlySet<ProviderFeature>> = {
  // WhatsApp Web has no interactive messages, location requests or templates: those exist only in the official API.
  whatsappweb: new Set<ProviderFeature>([...BASICS, 'forward', 'delete', 'groups', 'session']),
  // The Cloud API cannot forward, delete for everyone, or (for most numbers) message groups.
  whatsappcloud: new Set(CLOUD),
  d360: new Set(CLOUD),
};

export function supports(service: MessageService, feature: ProviderFeature): boolean {
  return PROVIDER_FEATURES[service]?.has(feature) ?? false;
}

/** Throws EngineFeatureUnsupportedError (422 ENGINE_FEATURE_UNSUPPORTED) when the service lacks the feature. */
export function assertFeatureSupported(service: MessageService, feature: ProviderFeature): void {
  if (!supports(service, feature)) throw new EngineFeatureUnsupportedError(feature, service);
}

/** The official API's services: stateless HTTP providers, no session. */
export function isCloudService(service: MessageService): service is 'whatsappcloud' | 'd360' {
  return service === 'whatsappcloud' || service === 'd360';
}
