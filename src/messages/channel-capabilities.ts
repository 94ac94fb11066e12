import type { MessageService } from '../channels/channel.types';
import { EngineFeatureUnsupportedError } from '../whatsapp/engine/messaging-engine.port';

/** Message features some providers lack. Names are what clients see in `details.feature`. */
export type MessageFeature = 'interactive' | 'location_request';

/**
 * What each service cannot send. WhatsApp Web has no interactive messages (buttons, lists) and no
 * location requests: those exist only in the official Business API. A provider for it lists nothing here.
 */
const UNSUPPORTED: Record<MessageService, readonly MessageFeature[]> = {
  whatsappweb: ['interactive', 'location_request'],
};

/** Throws EngineFeatureUnsupportedError (422 ENGINE_FEATURE_UNSUPPORTED) when the service lacks the feature. */
export function assertFeatureSupported(service: MessageService, feature: MessageFeature): void {
  if (UNSUPPORTED[service]?.includes(feature)) throw new EngineFeatureUnsupportedError(feature, service);
}
