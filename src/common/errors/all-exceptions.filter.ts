import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { EngineFeatureUnsupportedError } from '../../whatsapp/engine/messaging-engine.port';
import { loggableUrl } from '../logging/logging.module';
import { AppError, CommonErrorCode } from './app-error';

interface Mapped {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

const STATUS_CODES: Record<number, string> = {
  400: CommonErrorCode.VALIDATION_FAILED,
  401: CommonErrorCode.UNAUTHENTICATED,
  404: CommonErrorCode.ROUTE_NOT_FOUND,
  405: CommonErrorCode.METHOD_NOT_ALLOWED,
  413: CommonErrorCode.PAYLOAD_TOO_LARGE,
  429: CommonErrorCode.RATE_LIMITED,
  503: CommonErrorCode.SERVICE_UNAVAILABLE,
};

/** Errors raised by express's body parser before any route runs. */
function fromBodyParser(err: { type?: string; status?: number; message?: string }): Mapped | undefined {
  if (err.type === 'entity.parse.failed')
    return { status: 400, code: CommonErrorCode.INVALID_JSON, message: 'Request body is not valid JSON' };
  if (err.type === 'entity.too.large')
    return { status: 413, code: CommonErrorCode.PAYLOAD_TOO_LARGE, message: 'Request body is too large' };
  if (typeof err.type === 'string' && err.status && err.status < 500)
    return { status: err.status, code: CommonErrorCode.VALIDATION_FAILED, message: 'Request body could not be read' };
  return undefined;
}

/** Driver errors that are the caller's fault rather than ours. */
function fromDatabase(err: { name?: string; code?: number; kind?: string; path?: string; keyValue?: unknown }): Mapped | undefined {
  if (err.name === 'CastError')
    return { status: 400, code: CommonErrorCode.INVALID_ID, message: `Invalid value for ${err.path ?? 'id'}` };
  if (err.code === 11000)
    return { status: 409, code: CommonErrorCode.DUPLICATE_KEY, message: 'A record with the same unique value exists' };
  return undefined;
}

export function mapError(exception: unknown): Mapped | undefined {
  if (exception instanceof AppError)
    return { status: exception.status, code: exception.code, message: exception.message, details: exception.details };
  if (exception instanceof EngineFeatureUnsupportedError)
    return { status: 422, code: 'ENGINE_FEATURE_UNSUPPORTED', message: exception.message, details: { feature: exception.feature, service: exception.engine, engine: exception.engine } };
  if (exception instanceof HttpException) {
    // Nest wraps body-parser errors (bad JSON, too large) in HttpExceptions; keep their meaning.
    const cause = (exception as { cause?: unknown }).cause;
    // Our own error raised inside the body parser (json-shape's verify hook) keeps its code.
    if (cause instanceof AppError) return mapError(cause);
    const parsed = cause && typeof cause === 'object' ? fromBodyParser(cause as never) : undefined;
    if (parsed) return parsed;
    const status = exception.getStatus();
    const body = exception.getResponse();
    const message =
      typeof body === 'object' && body && 'message' in body
        ? String(Array.isArray((body as { message: unknown }).message) ? (body as { message: string[] }).message.join('; ') : (body as { message: unknown }).message)
        : exception.message;
    return { status, code: STATUS_CODES[status] ?? `HTTP_${status}`, message };
  }
  if (exception && typeof exception === 'object')
    return fromBodyParser(exception as never) ?? fromDatabase(exception as never);
  return undefined;
}

/**
 * The one place errors become responses. Known errors keep their status and code;
 * anything else is a 500 with the request id, logged with its stack, never echoed.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const requestId = String(req.id ?? '');

    let mapped = mapError(exception);
    if (!mapped || mapped.status >= 500) {
      if (!mapped) {
        this.logger.error({ err: exception, requestId, path: loggableUrl(req.path) }, 'Unhandled error');
        mapped = { status: HttpStatus.INTERNAL_SERVER_ERROR, code: CommonErrorCode.INTERNAL_ERROR, message: 'Internal server error' };
      } else {
        this.logger.warn({ code: mapped.code, requestId, path: loggableUrl(req.path) }, mapped.message);
      }
    }
    if (res.headersSent) return;
    if (exception instanceof AppError && exception.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(exception.retryAfterSeconds));
    res.status(mapped.status).json({
      statusCode: mapped.status,
      code: mapped.code,
      message: mapped.message,
      ...(mapped.details !== undefined ? { details: mapped.details } : {}),
      requestId,
    });
  }
}
