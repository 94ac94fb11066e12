import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';

/**
 * Ends HTTP service without waiting for clients to hang up. `server.close()` alone stops
 * accepting but keeps every keep-alive connection answering for as long as its client sends
 * (a steady client kept a server up until its force exit). Draining: stop listening, close idle
 * keep-alive connections (again every tick: one that finishes a response becomes idle), answer
 * what is in flight or arrives on an open connection with `Connection: close`, and after the
 * bound close whatever is left.
 */
export class HttpDrain {
  private draining = false;
  private readonly inFlight = new Set<Response>();

  constructor(private readonly server: Server) {}

  /** Express middleware, first in the chain: tracks responses and marks them during a drain. */
  readonly middleware = (_req: Request, res: Response, next: NextFunction): void => {
    this.inFlight.add(res);
    res.once('close', () => this.inFlight.delete(res));
    if (this.draining) res.setHeader('Connection', 'close');
    next();
  };

  /** Resolves once every connection is closed, or after `boundMs` with the rest cut. */
  async drain(boundMs: number): Promise<{ forced: boolean; ms: number }> {
    const started = Date.now();
    this.draining = true;
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const tick = setInterval(() => this.server.closeIdleConnections(), 50);
    let timer: NodeJS.Timeout | undefined;
    const forced = await Promise.race([
      closed.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), boundMs))),
    ]);
    clearInterval(tick);
    clearTimeout(timer);
    if (forced) {
      this.server.closeAllConnections();
      await closed;
    }
    return { forced, ms: Date.now() - started };
  }
}
