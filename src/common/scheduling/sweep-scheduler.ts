import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

export interface SweepOptions {
  /** Also run a first tick right after registering (in the next turn of the event loop). */
  runNow?: boolean;
  /** Logs the tick's failures under this logger (default: the scheduler's). */
  logger?: Logger;
}

/**
 * Periodic background passes (sweepers, rechecks), registered in @nestjs/schedule's
 * SchedulerRegistry at bootstrap so their period can come from the validated config. What the
 * registry does not give an interval, this adds:
 * - a tick never overlaps itself: one that comes while the previous still runs is skipped;
 * - a failed tick is logged, never thrown (the next one retries);
 * - shutdown stops every interval and waits for running ticks in `beforeApplicationShutdown`,
 *   which Nest runs before any `onApplicationShutdown` (where the database and Redis close);
 *   the ordered shutdown calls `stopAll()` earlier still, before draining sessions and inbound.
 */
@Injectable()
export class SweepScheduler implements BeforeApplicationShutdown {
  private readonly logger = new Logger(SweepScheduler.name);
  private readonly tasks = new Map<string, { task: () => Promise<unknown>; logger: Logger; running?: Promise<void> }>();
  private stopped = false;

  constructor(private readonly registry: SchedulerRegistry) {}

  /** Runs `task` every `periodMs` under `name` (unique). Ignored once shutdown began. */
  every(name: string, periodMs: number, task: () => Promise<unknown>, options: SweepOptions = {}): void {
    if (this.stopped) return;
    if (this.tasks.has(name)) throw new Error(`A sweep named ${name} is already scheduled`);
    this.tasks.set(name, { task, logger: options.logger ?? this.logger });
    const handle = setInterval(() => void this.tick(name), periodMs);
    // A sweep alone never keeps the process alive.
    handle.unref();
    this.registry.addInterval(name, handle);
    if (options.runNow) setImmediate(() => void this.tick(name));
  }

  isScheduled(name: string): boolean {
    return this.tasks.has(name);
  }

  /**
   * Runs one tick of `name` now, unless one is running (then waits for that one). Resolves when
   * it is over; never rejects.
   */
  tick(name: string): Promise<void> {
    const entry = this.tasks.get(name);
    if (!entry) return Promise.resolve();
    entry.running ??= entry
      .task()
      .then(
        () => undefined,
        (err: unknown) => entry.logger.warn({ err, sweep: name }, 'Sweep failed; the next interval retries'),
      )
      .finally(() => (entry.running = undefined));
    return entry.running;
  }

  /** Stops the interval and waits for a tick in flight. */
  async stop(name: string): Promise<void> {
    const entry = this.tasks.get(name);
    if (!entry) return;
    this.tasks.delete(name);
    if (this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
    await entry.running;
  }

  /** Stops every sweep for good and waits for the ticks in flight. Idempotent. */
  async stopAll(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.tasks.keys()].map((name) => this.stop(name)));
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.stopAll();
  }
}
