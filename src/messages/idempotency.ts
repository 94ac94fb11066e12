import { createHash } from 'node:crypto';
import { AppError } from '../common/errors/app-error';
import { MessageErrorCode } from './messages.errors';

const KEY = /^[\x21-\x7e]{1,255}$/;

/** The Idempotency-Key header, checked: 1 to 255 visible ASCII characters. */
export function parseIdempotencyKey(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (!KEY.test(value))
    throw AppError.badRequest(MessageErrorCode.INVALID_IDEMPOTENCY_KEY, 'Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good choice)');
  return value;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value as object)
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Fingerprint of a request: the same call retried hashes the same whatever its key order. */
export function requestHash(route: string, body: unknown): string {
  return createHash('sha256').update(JSON.stringify([route, canonical(body)])).digest('hex');
}
