import type { NextFunction, Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { CommonErrorCode } from '../common/errors/app-error';

function same(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** The key a request presents: Bearer, X-Api-Key, or the password of HTTP Basic (for a browser). */
export function presentedKey(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    if (/^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim() || undefined;
    if (/^basic\s+/i.test(auth)) {
      const decoded = Buffer.from(auth.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon >= 0 ? decoded.slice(colon + 1) : undefined;
    }
  }
  const header = req.headers['x-api-key'];
  return typeof header === 'string' && header.length > 0 ? header : undefined;
}

/**
 * Bull Board is an express router mounted as Nest middleware, so the global ApiKeyGuard never
 * sees it: this middleware runs in front of it and lets only the admin key through. Browsers
 * get a Basic prompt (any user name, the admin key as password).
 */
export function adminKeyMiddleware(adminKey: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const key = presentedKey(req);
    if (key && same(key, adminKey)) return next();
    const requestId = (req as Request & { id?: string }).id;
    res
      .status(401)
      .setHeader('www-authenticate', 'Basic realm="queues", charset="UTF-8"')
      .json({
        statusCode: 401,
        code: key ? CommonErrorCode.ADMIN_KEY_REQUIRED : CommonErrorCode.UNAUTHENTICATED,
        message: 'The queue dashboard needs the admin key (Bearer, X-Api-Key, or as the Basic password)',
        ...(requestId ? { requestId } : {}),
      });
  };
}
