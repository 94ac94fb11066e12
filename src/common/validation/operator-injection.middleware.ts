import type { NextFunction, Request, Response } from 'express';
import { AppError, CommonErrorCode } from '../errors/app-error';

/**
 * Keys no DTO declares and that JavaScript treats specially. class-transformer skips them, so
 * they used to vanish silently while every other unknown key was a 400: refuse them the same way.
 */
export const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type KeyProblem = { kind: 'operator' | 'reserved'; path: string };

/**
 * The first key that starts with `$` (a MongoDB operator) or is reserved, at any depth. An explicit
 * stack instead of recursion: depth is bounded at parse time, but this must never be the thing that
 * overflows (it was, on 10,000 levels).
 */
export function findForbiddenKey(root: unknown, rootPath = ''): KeyProblem | undefined {
  const stack: Array<[unknown, string]> = [[root, rootPath]];
  while (stack.length > 0) {
    const [value, path] = stack.pop()!;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}[${i}]`]);
    } else if (value && typeof value === 'object') {
      // Own keys only, read without touching the prototype chain (`__proto__` is an own key here).
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        const here = path ? `${path}.${key}` : key;
        if (key.startsWith('$')) return { kind: 'operator', path: here };
        if (RESERVED_KEYS.has(key)) return { kind: 'reserved', path: here };
        stack.push([(value as Record<string, unknown>)[key], here]);
      }
    }
  }
  return undefined;
}

/**
 * Refuses MongoDB operators smuggled into bodies or query strings (`{"name": {"$gt": ""}}`) and
 * reserved keys (`__proto__`, `constructor`, `prototype`) before any handler sees them. DTO
 * validation would catch most; this catches them all, including fields typed loosely. Mongoose's
 * sanitizeFilter is on as a second line.
 */
export function operatorInjectionMiddleware(req: Request, _res: Response, next: NextFunction): void {
  const hit = findForbiddenKey(req.body, 'body') ?? findForbiddenKey(req.query, 'query');
  if (hit?.kind === 'operator') {
    next(AppError.badRequest(CommonErrorCode.OPERATOR_NOT_ALLOWED, `Field names may not start with "$" (${hit.path})`, [{ field: hit.path, messages: ['operators are not allowed'] }]));
    return;
  }
  if (hit?.kind === 'reserved') {
    const field = hit.path.replace(/^(body|query)\./, '');
    next(
      AppError.badRequest(CommonErrorCode.VALIDATION_FAILED, `Validation failed: property ${field} should not exist`, [
        { field, messages: [`property ${field} should not exist`] },
      ]),
    );
    return;
  }
  next();
}
