import { AppError, CommonErrorCode } from '../../common/errors/app-error';

/**
 * JSON that keeps what a command's arguments and answers hold besides plain data: Dates (session
 * statuses) and Buffers (media). Tagged as `{ $date }` / `{ $buffer }` so a string that merely looks like
 * a date stays a string.
 */
export function encode(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return { $date: raw.getTime() };
    if (Buffer.isBuffer(raw)) return { $buffer: raw.toString('base64') };
    return v;
  });
}

export function decode<T = unknown>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && typeof o.$date === 'number') return new Date(o.$date);
      if (keys.length === 1 && typeof o.$buffer === 'string') return Buffer.from(o.$buffer, 'base64');
    }
    return v;
  }) as T;
}

/** An error as it crosses to the process that asked: AppErrors keep status, code, message, details. */
export interface WireError {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  retryAfterSeconds?: number;
}

export function toWireError(err: unknown): WireError {
  if (err instanceof AppError)
    return { status: err.status, code: err.code, message: err.message, details: err.details, retryAfterSeconds: err.retryAfterSeconds };
  // Anything else was logged where it happened; its text stays there.
  return { status: 500, code: CommonErrorCode.INTERNAL_ERROR, message: 'Internal server error' };
}

export function fromWireError(wire: WireError): AppError {
  const err = new AppError(wire.status, wire.code, wire.message, wire.details);
  if (wire.retryAfterSeconds !== undefined) err.retryAfter(wire.retryAfterSeconds);
  return err;
}
