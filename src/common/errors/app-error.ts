import { HttpStatus } from '@nestjs/common';

export interface FieldProblem {
  field: string;
  messages: string[];
}

/**
 * The one error type product code throws. The global filter turns it into
 * `{ statusCode, code, message, details?, requestId }`. `code` is a stable string
 * clients branch on; `message` is for humans and may change.
 */
export class AppError extends Error {
  /** Sent as the Retry-After header (seconds) with a 429 or 503: when trying again makes sense. */
  retryAfterSeconds?: number;

  constructor(
    readonly status: HttpStatus,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static badRequest(code: string, message: string, details?: unknown) {
    return new AppError(HttpStatus.BAD_REQUEST, code, message, details);
  }
  static unauthorized(code: string, message: string) {
    return new AppError(HttpStatus.UNAUTHORIZED, code, message);
  }
  static forbidden(code: string, message: string) {
    return new AppError(HttpStatus.FORBIDDEN, code, message);
  }
  static notFound(code: string, message: string, details?: unknown) {
    return new AppError(HttpStatus.NOT_FOUND, code, message, details);
  }
  static conflict(code: string, message: string, details?: unknown) {
    return new AppError(HttpStatus.CONFLICT, code, message, details);
  }
  static unprocessable(code: string, message: string, details?: unknown) {
    return new AppError(HttpStatus.UNPROCESSABLE_ENTITY, code, message, details);
  }
  static unavailable(code: string, message: string, details?: unknown) {
    return new AppError(HttpStatus.SERVICE_UNAVAILABLE, code, message, details);
  }

  /** The same error, answered with `Retry-After: seconds`. */
  retryAfter(seconds: number): this {
    this.retryAfterSeconds = Math.max(1, Math.ceil(seconds));
    return this;
  }
}

/** Codes shared across features. Feature-specific codes live beside their feature. */
export const CommonErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  INVALID_JSON: 'INVALID_JSON',
  INVALID_ID: 'INVALID_ID',
  OPERATOR_NOT_ALLOWED: 'OPERATOR_NOT_ALLOWED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** JSON nested deeper than MAX_JSON_DEPTH (refused before parsing). */
  PAYLOAD_TOO_DEEP: 'PAYLOAD_TOO_DEEP',
  /** JSON holding more than MAX_JSON_VALUES values (refused before parsing). */
  PAYLOAD_TOO_COMPLEX: 'PAYLOAD_TOO_COMPLEX',
  /** A request body in a Content-Type the server does not read (JSON or URL-encoded form). */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  INVALID_API_KEY: 'INVALID_API_KEY',
  ADMIN_KEY_REQUIRED: 'ADMIN_KEY_REQUIRED',
  ACCOUNT_MISMATCH: 'ACCOUNT_MISMATCH',
  ACCOUNT_REQUIRED: 'ACCOUNT_REQUIRED',
  DUPLICATE_KEY: 'DUPLICATE_KEY',
  PAGE_OUT_OF_RANGE: 'PAGE_OUT_OF_RANGE',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
} as const;
