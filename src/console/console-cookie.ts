import { Injectable } from '@nestjs/common';
import { parse } from 'cookie';
import { sign, unsign } from 'cookie-signature';
import type { CookieOptions, Request, Response } from 'express';
import { createHmac } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { SESSION_MAX_MS } from './console-session.store';

export const CONSOLE_COOKIE = 'omc_console';

/**
 * The session cookie: httpOnly (no script reads it), SameSite=Strict (never sent by another
 * site's request), Secure over HTTPS (as reached, or a https PUBLIC_BASE_URL), signed (HMAC-SHA256, cookie-signature) with a key derived
 * from LINK_SIGNING_SECRET so no new setting is needed.
 */
@Injectable()
export class ConsoleCookie {
  private readonly secret: string;
  /** A public HTTPS address means the console is served over HTTPS even where TLS ends at a remote proxy. */
  private readonly httpsOnly: boolean;

  constructor(config: AppConfig) {
    this.httpsOnly = config.http.publicBaseUrl.startsWith('https:');
    this.secret = createHmac('sha256', config.security.linkSigningSecret).update('omc console session cookie v1').digest('base64url');
  }

  /** The session id the request's cookie carries: undefined without a cookie, false when its signature is wrong. */
  read(req: Request): string | undefined | false {
    const header = req.headers.cookie;
    if (!header) return undefined;
    const value = parse(header)[CONSOLE_COOKIE];
    if (!value) return undefined;
    return value.startsWith('s:') ? unsign(value.slice(2), this.secret) : false;
  }

  write(req: Request, res: Response, sessionId: string): void {
    res.cookie(CONSOLE_COOKIE, `s:${sign(sessionId, this.secret)}`, { ...this.options(req), maxAge: SESSION_MAX_MS });
  }

  clear(req: Request, res: Response): void {
    res.clearCookie(CONSOLE_COOKIE, this.options(req));
  }

  private options(req: Request): CookieOptions {
    return { httpOnly: true, sameSite: 'strict', secure: req.secure || this.httpsOnly, path: '/' };
  }
}
