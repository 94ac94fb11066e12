import { Injectable } from '@nestjs/common';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { WhatsappErrorCode } from '../whatsapp.errors';

/** What an onboarding link grants: seeing and linking one channel's session, until `exp`. */
export interface OnboardingGrant {
  channelId: string;
  clientIdentifier: string;
  /** Expiry, epoch ms. */
  exp: number;
  /** Origin allowed to receive the page's postMessage (the SDK's page); '*' when not given. */
  origin?: string;
}

const PURPOSE = 'omc.onboarding.v1';

/**
 * Short-lived signed onboarding links: `base64url(json).base64url(HMAC-SHA256)` with the link
 * signing secret. Nothing is stored; a link cannot be revoked before it expires, which is why
 * it is short. The page and its sub-resources accept a token for `graceMs` after `exp`, so a
 * popup opened just before expiry can finish linking.
 */
@Injectable()
export class OnboardingTokens {
  private readonly secret: string;
  readonly ttlMs: number;
  readonly graceMs = 20 * 60_000;

  constructor(config: AppConfig) {
    this.secret = config.security.linkSigningSecret;
    this.ttlMs = config.whatsapp.onboardingLinkTtlMs;
  }

  issue(grant: Omit<OnboardingGrant, 'exp'>, now = Date.now()): { token: string; expiresAt: Date } {
    const exp = now + this.ttlMs;
    const payload = Buffer.from(JSON.stringify({ c: grant.channelId, a: grant.clientIdentifier, e: exp, o: grant.origin })).toString('base64url');
    return { token: `${payload}.${this.sign(payload)}`, expiresAt: new Date(exp) };
  }

  /**
   * The grant of a valid token. 401 ONBOARDING_LINK_INVALID for a forged or malformed one,
   * 410 ONBOARDING_LINK_EXPIRED past its expiry (plus `graceMs` when `withGrace`).
   */
  verify(token: string, withGrace: boolean, now = Date.now()): OnboardingGrant {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined || !this.sameSignature(signature, this.sign(payload))) throw invalid();
    let parsed: { c?: unknown; a?: unknown; e?: unknown; o?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof parsed;
    } catch {
      throw invalid();
    }
    if (typeof parsed.c !== 'string' || typeof parsed.a !== 'string' || typeof parsed.e !== 'number') throw invalid();
    if (now > parsed.e + (withGrace ? this.graceMs : 0))
      throw new AppError(410, WhatsappErrorCode.ONBOARDING_LINK_EXPIRED, 'This onboarding link has expired; ask for a new one');
    return { channelId: parsed.c, clientIdentifier: parsed.a, exp: parsed.e, origin: typeof parsed.o === 'string' ? parsed.o : undefined };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(`${PURPOSE}.${payload}`).digest('base64url');
  }

  private sameSignature(a: string, b: string): boolean {
    const ba = Buffer.from(a);
    const bb = Buffer.from(b);
    return ba.length === bb.length && timingSafeEqual(ba, bb);
  }
}

function invalid(): AppError {
  return AppError.unauthorized(WhatsappErrorCode.ONBOARDING_LINK_INVALID, 'This onboarding link is not valid');
}
