import { Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiKeysService } from '../accounts/api-keys.service';
import type { AuthenticatedRequest, Principal } from '../common/auth/principal';
import { SessionAuthenticator } from '../common/auth/principal';
import { AppError } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import { ConsoleCookie } from './console-cookie';
import { ConsoleSessionRecord, ConsoleSessionStore } from './console-session.store';
import { ConsoleErrorCode } from './console.errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

export interface ConsoleRequest extends AuthenticatedRequest {
  consoleSession?: { id: string; record: ConsoleSessionRecord };
}

export function fingerprint(secret: string): string {
  return createHash('sha256').update(`omc admin key:${secret}`).digest('base64url');
}

function equalTokens(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/**
 * Whether a browser request comes from the console's own origin: Sec-Fetch-Site when the
 * browser sends it, and an Origin equal to this server's (as reached, or PUBLIC_BASE_URL).
 * Browsers send Origin on every POST/PUT/PATCH/DELETE, so a missing one is refused.
 */
export function fromOwnOrigin(req: AuthenticatedRequest, publicBaseUrl: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin') return false;
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return false;
  const own = `${req.protocol}://${req.headers.host ?? ''}`;
  return origin === own || origin === new URL(publicBaseUrl).origin;
}

/**
 * Turns the console's session cookie into the caller's principal for the API's global guard,
 * so the console calls the same routes, with the same account rules, as any API client. State
 * changes need the session's CSRF token (X-CSRF-Token) and the server's own Origin on top of
 * SameSite=Strict. A session whose key was revoked ends on its next request.
 */
@Injectable()
export class ConsoleSessionAuthenticator extends SessionAuthenticator {
  constructor(
    private readonly cookie: ConsoleCookie,
    private readonly store: ConsoleSessionStore,
    private readonly keys: ApiKeysService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async authenticate(req: ConsoleRequest): Promise<Principal | undefined> {
    const id = this.cookie.read(req);
    if (id === undefined) return undefined;
    if (id === false) throw AppError.unauthorized(ConsoleErrorCode.CONSOLE_SESSION_INVALID, 'The console session cookie is not valid: sign in again');
    const record = await this.store.touch(id);
    if (!record) throw AppError.unauthorized(ConsoleErrorCode.CONSOLE_SESSION_INVALID, 'The console session has ended: sign in again');
    if (!(await this.stillAuthorized(record))) {
      await this.store.delete(id);
      throw AppError.unauthorized(ConsoleErrorCode.CONSOLE_SESSION_REVOKED, 'The key this console session was made from is no longer valid');
    }
    if (!SAFE_METHODS.has(req.method)) {
      const token = req.headers[CSRF_HEADER];
      if (typeof token !== 'string' || !equalTokens(token, record.csrfToken) || !fromOwnOrigin(req, this.config.http.publicBaseUrl))
        throw AppError.forbidden(ConsoleErrorCode.CONSOLE_CSRF_FAILED, 'State changes need the console CSRF token and the console origin');
    }
    req.consoleSession = { id, record };
    return record.kind === 'admin'
      ? { kind: 'admin' }
      : { kind: 'account', clientIdentifier: record.clientIdentifier!, keyId: record.keyId! };
  }

  private async stillAuthorized(record: ConsoleSessionRecord): Promise<boolean> {
    if (record.kind === 'admin') return record.adminFingerprint === fingerprint(this.config.security.adminApiKey);
    return !!record.keyId && (await this.keys.isActive(record.keyId));
  }
}
