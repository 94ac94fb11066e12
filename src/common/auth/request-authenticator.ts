import { Injectable, Optional } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { AppError, CommonErrorCode } from '../errors/app-error';
import { ApiKeyResolver, AuthenticatedRequest, Principal, SessionAuthenticator } from './principal';

export function extractApiKey(req: AuthenticatedRequest): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim() || undefined;
  const header = req.headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 ? header : undefined;
}

function sameSecret(a: string, b: string): boolean {
  // Hash first so lengths match and the comparison time says nothing about the key.
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/**
 * Who sent a request: an API key when one is sent, otherwise a console session. Memoized per
 * request because two guards ask: the rate limiter (to pick the budget) and ApiKeyGuard (to
 * admit the request); the key lookup and the console session's Redis touch happen once.
 */
@Injectable()
export class RequestAuthenticator {
  private readonly seen = new WeakMap<object, Promise<Principal>>();

  constructor(
    private readonly config: AppConfig,
    private readonly resolver: ApiKeyResolver,
    @Optional() private readonly sessions?: SessionAuthenticator,
  ) {}

  /** The principal, or the 401 (or console session error) the request deserves. */
  authenticate(req: AuthenticatedRequest): Promise<Principal> {
    let principal = this.seen.get(req);
    if (!principal) {
      principal = this.resolve(req);
      this.seen.set(req, principal);
    }
    return principal;
  }

  private async resolve(req: AuthenticatedRequest): Promise<Principal> {
    const key = extractApiKey(req);
    if (!key) {
      const session = await this.sessions?.authenticate(req);
      if (session) return session;
      throw AppError.unauthorized(CommonErrorCode.UNAUTHENTICATED, 'An API key is required (Authorization: Bearer <key> or X-Api-Key)');
    }
    if (sameSecret(key, this.config.security.adminApiKey)) return { kind: 'admin' };
    const principal = await this.resolver.resolve(key);
    if (!principal) throw AppError.unauthorized(CommonErrorCode.INVALID_API_KEY, 'The API key is not valid or was revoked');
    return principal;
  }
}
