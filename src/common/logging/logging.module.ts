import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../../config/app-config';
import { BackgroundContext } from './background-context';

/** Paths pino replaces with [Redacted]: keys, secrets and tokens never reach the log. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  '*.apiKey',
  '*.key',
  '*.secret',
  '*.signingSecret',
  '*.password',
  '*.token',
  'config.security',
  // Official-API provider secrets (docs/providers.md), wherever an object carrying them is logged.
  'req.headers["d360-api-key"]',
  'req.headers["x-omnichannel-webhook-token"]',
  '*.accessToken',
  '*.appSecret',
  '*.webhookVerifyToken',
  '*.webhookToken',
  '*.credentials',
  'config.cloud',
];

/** Decodes one path segment as the router compares it; a malformed escape stays as it is. */
function segment(raw: string): string {
  try {
    return decodeURIComponent(raw).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/**
 * The URL as logged: no query string (signed media links carry their signature there) and no
 * onboarding token (the token in the path is the credential to an account's QR). Matched the
 * way Express routes `onboarding/:token` (case-insensitive, and percent-escapes decoded), not by
 * one spelling: `/ONBOARDING/<token>` reaches the same handler, so it is redacted the same way.
 */
export function loggableUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const parts = url.split('?')[0].split('/');
  const at = parts.findIndex((p, i) => i > 0 && p !== '');
  if (at < 0 || segment(parts[at]) !== 'onboarding') return parts.join('/');
  const token = parts.findIndex((p, i) => i > at && p !== '');
  // POST /onboarding/links is the one static route under /onboarding.
  if (token > 0 && segment(parts[token]) !== 'links') parts[token] = '[token]';
  return parts.join('/');
}

/** Paths with no access log line: probes (every few seconds, from orchestrators) and static files. */
const QUIET_PATHS = [/^\/health(\/|$)/i, /^\/metrics\/?$/i, /^\/favicon\.ico$/i, /^\/console\/assets\//i];

export function isQuietPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0];
  return QUIET_PATHS.some((quiet) => quiet.test(path));
}

/** Structured JSON logs with a request id on every line logged while serving a request. */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
            // requestIdMiddleware already set it, before the body parser ran.
            genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? randomUUID(),
            customProps: (req: IncomingMessage) => ({ requestId: (req as IncomingMessage & { id?: string }).id }),
            serializers: {
              req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: loggableUrl(req.url) }),
            },
            autoLogging: { ignore: (req: IncomingMessage) => isQuietPath(req.url) },
          },
        }),
      ],
      providers: [BackgroundContext],
      exports: [BackgroundContext],
    };
  }
}
