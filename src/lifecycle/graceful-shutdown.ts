import { INestApplication, Logger } from '@nestjs/common';
import { SweepScheduler } from '../common/scheduling/sweep-scheduler';
import { Connections } from '../database/connections';
import { InboundPipeline } from '../inbound/inbound-pipeline';
import { SendWorkers } from '../messages/pipeline/send-workers';
import { WebhookWorker } from '../webhooks/webhook-worker.service';
import { SessionManager } from '../whatsapp/sessions/session-manager';
import { HttpDrain } from './http-drain';

/** How long each phase may take; the sum stays under FORCE_EXIT_MS with room for closing. */
export interface ShutdownBounds {
  httpMs: number;
  sessionsMs: number;
  inboundMs: number;
  deliveriesMs: number;
}

export const DEFAULT_SHUTDOWN_BOUNDS: ShutdownBounds = { httpMs: 5_000, sessionsMs: 12_000, inboundMs: 8_000, deliveriesMs: 5_000 };
/** Past this the process exits 1 whatever is still running. */
export const FORCE_EXIT_MS = 45_000;

/**
 * The ordered shutdown. Nest's own hook order across modules does not say which comes first
 * (the database's close or the work that still writes to it), so the steps that must happen
 * while the database is open run here, explicitly, before `app.close()`:
 *
 * 1. HTTP: stop accepting, end keep-alive connections, let in-flight requests finish (bounded).
 *    Sweepers stop too (no new pass; a pass in flight finishes), so none feeds the pipelines
 *    drained next.
 * 2. Sessions: close each browser's event source, drain its events into the journal, detach;
 *    the final `session.status` (STOPPED) webhooks are recorded and enqueued.
 * 3. Inbound: journaled events applied (bounded; what is left stays journaled for the next boot).
 * 4. Sends and deliveries in flight finish (bounded; an unfinished delivery runs again later).
 * 5. `app.close()`: queues, then the database and Redis connections; then embedded services.
 */
export class GracefulShutdown {
  private readonly logger = new Logger('Shutdown');

  constructor(
    private readonly app: INestApplication,
    private readonly http: HttpDrain,
    private readonly connections: Connections,
    private readonly bounds: ShutdownBounds = DEFAULT_SHUTDOWN_BOUNDS,
  ) {}

  async run(signal: string): Promise<void> {
    const started = Date.now();
    const phase = async (name: string, boundMs: number, task: () => Promise<unknown>): Promise<void> => {
      const t0 = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        task().then(
          () => 'done',
          (err: unknown) => {
            this.logger.warn({ err, phase: name }, 'Shutdown phase failed');
            return 'failed';
          },
        ),
        new Promise<string>((resolve) => (timer = setTimeout(() => resolve('timed out'), boundMs))),
      ]);
      clearTimeout(timer);
      this.logger.log({ phase: name, outcome, ms: Date.now() - t0 }, 'Shutdown phase');
    };
    this.logger.log(`${signal}: shutting down`);
    const sweeps = this.optional(SweepScheduler);
    await phase('http', this.bounds.httpMs + 1_000, () => Promise.all([this.http.drain(this.bounds.httpMs), sweeps?.stopAll()]));
    const sessions = this.optional(SessionManager);
    const pipeline = this.optional(InboundPipeline);
    if (sessions) await phase('sessions', this.bounds.sessionsMs, () => sessions.shutdown());
    if (pipeline) await phase('inbound', this.bounds.inboundMs, () => pipeline.drain());
    const sends = this.optional(SendWorkers);
    const deliveries = this.optional(WebhookWorker);
    await phase('sends and deliveries', this.bounds.deliveriesMs, () =>
      Promise.all([sends?.onApplicationShutdown(), deliveries?.drain()]),
    );
    // Whatever still retries now would only meet a closed database: stop it.
    pipeline?.close();
    await phase('close', 10_000, () => this.app.close());
    await phase('embedded services', 5_000, () => this.connections.stopOwned());
    this.logger.log({ ms: Date.now() - started }, 'Shut down');
  }

  private optional<T>(type: abstract new (...args: never[]) => T): T | undefined {
    try {
      return this.app.get(type, { strict: false });
    } catch {
      return undefined;
    }
  }
}
