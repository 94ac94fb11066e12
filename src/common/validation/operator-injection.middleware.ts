import type { NextFunction, Request, Response } from 'express';
import { AppError, CommonErrorCode } from '../errors/app-error';

/** Finds the first key that starts with `$` (a MongoDB operator) at any depth. */
export function findOperatorKey(value: unknown, path = ''): string | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findOperatorKey(value[i], `${path}[${i}]`);
      if (hit) return hit;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const here = path ? `${path}.${key}` : key;
      if (key.startsWith('$')) return here;
      const hit = findOperatorKey(child, here);
      if (hit) return hit;
    }
  }
  return undefined;
}

/**
 * Refuses MongoDB operators smuggled into bodies or query strings (`{"name": {"$gt": ""}}`)
 * before any handler sees them. DTO validation would catch most; this catches them all,
 * including fields typed loosely. Mongoose's sanitizeFilter is on as a second line.
 */
export function operatorInjectionMiddleware(req: Request, _res: Response, next: NextFunction): void {
  const hit = findOperatorKey(req.body, 'body') ?? findOperatorKey(req.query, 'query');
  if (hit) {
    next(AppError.badRequest(CommonErrorCode.OPERATOR_NOT_ALLOWED, `Field names may not start with "$" (${hit})`, [{ field: hit, messages: ['operators are not allowed'] }]));
    return;
  }
  next();
}
