import { isQuietPath, loggableUrl } from './logging.module';

describe('loggableUrl', () => {
  it('drops query strings, which carry media link signatures', () => {
    expect(loggableUrl('/media/abc?exp=1&sig=secret')).toBe('/media/abc');
  });
  it('hides onboarding tokens, which grant access to a QR', () => {
    expect(loggableUrl('/onboarding/eyJhbGciOi.sig/events')).toBe('/onboarding/[token]/events');
    expect(loggableUrl('/onboarding/eyJhbGciOi.sig')).toBe('/onboarding/[token]');
    expect(loggableUrl('/onboarding/eyJhbGciOi.sig/?lang=pt')).toBe('/onboarding/[token]/');
  });
  it('hides them however the route is spelled, since Express routes it all the same', () => {
    expect(loggableUrl('/ONBOARDING/eyJhbGciOi.sig/events')).toBe('/ONBOARDING/[token]/events');
    expect(loggableUrl('/OnBoarding/eyJhbGciOi.sig/qr.png')).toBe('/OnBoarding/[token]/qr.png');
    expect(loggableUrl('/%6Fnboarding/eyJhbGciOi.sig')).toBe('/%6Fnboarding/[token]');
    expect(loggableUrl('//onboarding//eyJhbGciOi.sig/status')).toBe('//onboarding//[token]/status');
  });
  it('keeps other paths', () => {
    expect(loggableUrl('/contacts/64ef5c84f9deb1326965919f')).toBe('/contacts/64ef5c84f9deb1326965919f');
    expect(loggableUrl('/onboarding/links')).toBe('/onboarding/links');
    expect(loggableUrl('/ONBOARDING/LINKS')).toBe('/ONBOARDING/LINKS');
    expect(loggableUrl('/channels/x/onboarding-link')).toBe('/channels/x/onboarding-link');
    expect(loggableUrl(undefined)).toBeUndefined();
  });
});

describe('isQuietPath (no access log line)', () => {
  it('skips health probes, metrics scrapes and static files', () => {
    for (const path of ['/health', '/health/ready', '/health/ready?x=1', '/metrics', '/favicon.ico', '/console/assets/index-abc.js'])
      expect(isQuietPath(path)).toBe(true);
  });
  it('logs everything else, the console page itself included', () => {
    for (const path of ['/healthcare', '/contacts', '/console', '/console/api/channels', '/me']) expect(isQuietPath(path)).toBe(false);
  });
});
