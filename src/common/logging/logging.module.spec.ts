import { loggableUrl } from './logging.module';

describe('loggableUrl', () => {
  it('drops query strings, which carry media link signatures', () => {
    expect(loggableUrl('/media/abc?exp=1&sig=secret')).toBe('/media/abc');
  });
  it('hides onboarding tokens, which grant access to a QR', () => {
    expect(loggableUrl('/onboarding/eyJhbGciOi.sig/events')).toBe('/onboarding/[token]/events');
    expect(loggableUrl('/onboarding/eyJhbGciOi.sig')).toBe('/onboarding/[token]');
  });
  it('keeps other paths', () => {
    expect(loggableUrl('/contacts/64ef5c84f9deb1326965919f')).toBe('/contacts/64ef5c84f9deb1326965919f');
    expect(loggableUrl('/onboarding/links')).toBe('/onboarding/links');
  });
});
