import { AppConfig } from '../../config/app-config';
import { OnboardingTokens } from './onboarding-token';

const config = (secret = 's'.repeat(40)) =>
  ({ security: { linkSigningSecret: secret }, whatsapp: { onboardingLinkTtlMs: 600_000 } }) as unknown as AppConfig;

describe('onboarding links', () => {
  const sut = new OnboardingTokens(config());
  const grant = { channelId: 'c1', clientIdentifier: 'acc', origin: 'https://app.example.com' };

  it('round-trips a grant until it expires', () => {
    const now = 1_000_000;
    const { token, expiresAt } = sut.issue(grant, now);
    expect(expiresAt.getTime()).toBe(now + 600_000);
    expect(sut.verify(token, false, now + 599_999)).toEqual({ ...grant, exp: now + 600_000 });
  });

  it('refuses an expired link, but lets an open page finish within the grace time', () => {
    const { token } = sut.issue(grant, 0);
    expect(() => sut.verify(token, false, 600_001)).toThrow(expect.objectContaining({ status: 410, code: 'ONBOARDING_LINK_EXPIRED' }));
    expect(sut.verify(token, true, 600_001).channelId).toBe('c1');
    expect(() => sut.verify(token, true, 600_001 + sut.graceMs)).toThrow(expect.objectContaining({ code: 'ONBOARDING_LINK_EXPIRED' }));
  });

  it('refuses tampered payloads, other secrets and garbage', () => {
    const { token } = sut.issue(grant);
    const [payload, sig] = token.split('.');
    const other = Buffer.from(JSON.stringify({ c: 'c2', a: 'acc', e: Date.now() + 1e6 })).toString('base64url');
    for (const bad of [`${other}.${sig}`, `${payload}.${sig.slice(0, -2)}xx`, payload, `${token}.x`, '', 'a.b']) {
      expect(() => sut.verify(bad, true)).toThrow(expect.objectContaining({ status: 401, code: 'ONBOARDING_LINK_INVALID' }));
    }
    expect(() => new OnboardingTokens(config('t'.repeat(40))).verify(token, true)).toThrow(expect.objectContaining({ code: 'ONBOARDING_LINK_INVALID' }));
  });
});
