import { CanActivate, ExecutionContext, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual, createHash } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { AppError, CommonErrorCode } from '../errors/app-error';
import { ADMIN_ONLY, IS_PUBLIC, requestedAccount } from './auth.decorators';
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

/** Global guard: every route needs a key unless marked @Public(). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly resolver: ApiKeyResolver,
    @Optional() private readonly sessions?: SessionAuthenticator,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticate(req);
    if (principal.kind === 'admin') {
      req.principal = principal;
      return true;
    }
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets))
      throw AppError.forbidden(CommonErrorCode.ADMIN_KEY_REQUIRED, 'This route needs the admin key');
    req.principal = principal;

    const named = requestedAccount(req);
    if (principal.kind === 'account' && named !== undefined && named !== principal.clientIdentifier)
      throw AppError.forbidden(CommonErrorCode.ACCOUNT_MISMATCH, 'This API key belongs to another account');
    return true;
  }

  /** An API key when one is sent; otherwise a console session (same rules from here on). */
  private async authenticate(req: AuthenticatedRequest): Promise<Principal> {
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
