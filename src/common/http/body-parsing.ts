import type { NestExpressApplication, NestExpressBodyParserOptionsFor } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { AppError, CommonErrorCode } from '../errors/app-error';
import { assertJsonShape } from '../validation/json-shape';

/** The body types the API reads; every parser and the 415 check below share this list. */
export const JSON_TYPE = 'application/json';
export const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Routes whose raw body is kept for signature checks (src/providers/cloud/cloud-webhook.controller.ts). */
export const PROVIDER_WEBHOOK_PREFIX = '/providers/';

/** Methods whose body a route may read. GET/HEAD/OPTIONS bodies are never read (nor refused). */
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Same test as body-parser's: a body is present when it is chunked or has a non-zero length. */
function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

/**
 * A write that carries a body no parser read (text/plain, multipart, XML, or no Content-Type at
 * all) would reach its route as `{}` and "succeed" having changed nothing: refuse it with 415.
 */
export function unsupportedBodyMiddleware(req: Request, _res: Response, next: NextFunction): void {
  if (WRITE_METHODS.has(req.method) && hasBody(req) && !req.is([JSON_TYPE, FORM_TYPE])) {
    const type = req.headers['content-type'];
    next(
      new AppError(
        415,
        CommonErrorCode.UNSUPPORTED_MEDIA_TYPE,
        type ? `Request bodies must be ${JSON_TYPE}, not ${type.split(';')[0]}` : `Request bodies must be ${JSON_TYPE}; Content-Type is missing`,
        { supported: [JSON_TYPE, FORM_TYPE] },
      ),
    );
    return;
  }
  next();
}

/**
 * Body parsing of the app: JSON (depth and value count bounded on the raw bytes before parsing,
 * see json-shape.ts), flat URL-encoded forms, and a 415 for any other body of a write.
 */
export function useBodyParsing(app: NestExpressApplication, limit: string): void {
  // Nest's options type reserves `verify` for its rawBody mode (off here) and passes it through
  // otherwise: body-parser calls it with the raw bytes before JSON.parse.
  const json = {
    limit,
    type: JSON_TYPE,
    verify: (req: Request & { rawBody?: Buffer }, _res: unknown, buf: Buffer) => {
      assertJsonShape(buf);
      // Provider webhooks are signed over their exact bytes (Meta's X-Hub-Signature-256): keep them there only.
      if (req.url?.startsWith(PROVIDER_WEBHOOK_PREFIX)) req.rawBody = buf;
    },
  };
  app.useBodyParser('json', json as NestExpressBodyParserOptionsFor<'json'>);
  app.useBodyParser('urlencoded', { limit, type: FORM_TYPE, extended: false, parameterLimit: 1000 });
  app.use(unsupportedBodyMiddleware);
}
