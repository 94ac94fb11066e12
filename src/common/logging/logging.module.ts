import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../../config/app-config';

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
];

/**
 * The URL as logged: no query string (signed media links carry their signature there) and
 * no onboarding token (the token in the path is the credential to an account's QR).
 */
export function loggableUrl(url: string | undefined): string | undefined {
  return url?.split('?')[0].replace(/^\/onboarding\/(?!links(\/|$))[^/]+/, '/onboarding/[token]');
}

/** Structured JSON logs with a request id on every line logged while serving a request. */
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
            autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/metrics' },
          },
        }),
      ],
    };
  }
}
