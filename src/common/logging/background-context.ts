import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

/**
 * Runs work that outlives the request that started it (a session's browser boot, its QR
 * rotation, restarts) in a logging context of its own. nestjs-pino keeps the request's logger in
 * an AsyncLocalStorage, and everything started inside a request (promises, timers, the
 * browser's sockets) inherits it: without this, a QR shown minutes later would be logged with
 * that request's `req` and `requestId`. Inside, lines carry the given bindings (channelId…).
 */
@Injectable()
export class BackgroundContext {
  constructor(private readonly logger: PinoLogger) {}

  run<T>(bindings: Record<string, unknown>, fn: () => T): T {
    // inherit: false starts from the root logger, not from the request's.
    return this.logger.runInContext(fn, { bindings, inherit: false });
  }
}
