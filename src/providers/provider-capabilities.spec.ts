import { EngineFeatureUnsupportedError } from '../whatsapp/engine/messaging-engine.port';
import { assertFeatureSupported, isCloudService, supports } from './provider-capabilities';

describe('provider capabilities', () => {
  it('gives the official API interactive messages, templates and location requests, and WhatsApp Web none of them', () => {
    for (const feature of ['interactive', 'location_request', 'template'] as const) {
      expect(supports('whatsappcloud', feature)).toBe(true);
      expect(supports('d360', feature)).toBe(true);
      expect(supports('whatsappweb', feature)).toBe(false);
    }
  });

  it('keeps forward, delete, groups and the session lifecycle to WhatsApp Web', () => {
    for (const feature of ['forward', 'delete', 'groups', 'session'] as const) {
      expect(supports('whatsappweb', feature)).toBe(true);
      expect(supports('whatsappcloud', feature)).toBe(false);
    }
  });

  it('throws the typed error that becomes 422 ENGINE_FEATURE_UNSUPPORTED with feature and service', () => {
    expect(() => assertFeatureSupported('whatsappweb', 'interactive')).toThrow(EngineFeatureUnsupportedError);
    const err = (() => {
      try {
        assertFeatureSupported('d360', 'forward');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toMatchObject({ feature: 'forward', engine: 'd360' });
    expect(() => assertFeatureSupported('d360', 'text')).not.toThrow();
    expect(isCloudService('d360')).toBe(true);
    expect(isCloudService('whatsappweb')).toBe(false);
  });
});
