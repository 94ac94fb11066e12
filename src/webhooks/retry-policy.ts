/** What one delivery attempt produced. */
export type AttemptResult =
  | { kind: 'response'; status: number; retryAfter?: string }
  | { kind: 'error'; code: string; message: string };

export type DeadReason = 'ENDPOINT_GONE' | 'RETRIES_EXHAUSTED';

export type RetryDecision =
  | { outcome: 'delivered' }
  /** `consumesRetry: false` for a throttled attempt (429/503 with Retry-After) inside the schedule's window. */
  | { outcome: 'retry'; delayMs: number; consumesRetry: boolean }
  | { outcome: 'dead'; reason: DeadReason; disableEndpoint: boolean };

export interface RetryState {
  /** Failed attempts that already consumed a step of the schedule (this one not included). */
  failures: number;
  /** When the event was first attempted (start of the retry window). */
  firstAttemptAt: Date;
  now: Date;
}

/** Retry-After bounds: never hammer (at least 1 s), never park an event for more than a day. */
const MIN_RETRY_AFTER_MS = 1_000;
const MAX_RETRY_AFTER_MS = 24 * 3600_000;

/** Retry-After as milliseconds from `now`: delta-seconds or an HTTP date; undefined when absent or invalid. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now.getTime());
}

/**
 * The delivery schedule. `delays[0]` is the wait before the first attempt (0 = immediately),
 * `delays[n]` the wait after the n-th failure; after the last step the event is dead.
 *
 * - 2xx delivered. 3xx is a failure (redirects are not followed: a moved endpoint must be reconfigured).
 * - 410 Gone: the platform asked us to stop; the endpoint is disabled and the event is dead.
 * - 429/503 with Retry-After: wait as asked without using up a step, while the event is still inside
 *   the schedule's total span (so throttling cannot turn into a dead letter within seconds, nor last forever).
 * - Anything else (other statuses, timeouts, refused or forbidden addresses): next step of the schedule.
 * - Whatever the above says, no attempt is scheduled later than `maxTotalMs` after the first one
 *   (WEBHOOK_MAX_DELIVERY_HOURS): throttling that used up the window and then steps cannot stretch it.
 *
 * Jitter spreads retries by ±`jitter` of each delay so a platform coming back is not hit by a thundering herd.
 */
export class RetryPolicy {
  readonly window: number;

  constructor(
    readonly delaysMs: readonly number[],
    readonly jitter = 0.2,
    private readonly random: () => number = Math.random,
    /** Total cap from the first attempt: no retry is scheduled past it, throttled or not. */
    readonly maxTotalMs = Number.POSITIVE_INFINITY,
  ) {
    if (delaysMs.length === 0) throw new Error('the retry schedule needs at least one step');
    this.window = delaysMs.reduce((a, b) => a + b, 0);
  }

  get maxAttempts(): number {
    return this.delaysMs.length;
  }

  decide(result: AttemptResult, state: RetryState): RetryDecision {
    const decision = this.decideUncapped(result, state);
    if (decision.outcome !== 'retry') return decision;
    const elapsed = state.now.getTime() - state.firstAttemptAt.getTime();
    if (elapsed + decision.delayMs > this.maxTotalMs) return { outcome: 'dead', reason: 'RETRIES_EXHAUSTED', disableEndpoint: false };
    return decision;
  }

  private decideUncapped(result: AttemptResult, state: RetryState): RetryDecision {
    if (result.kind === 'response') {
      if (result.status >= 200 && result.status < 300) return { outcome: 'delivered' };
      if (result.status === 410) return { outcome: 'dead', reason: 'ENDPOINT_GONE', disableEndpoint: true };
      if (result.status === 429 || result.status === 503) {
        const asked = parseRetryAfter(result.retryAfter, state.now);
        if (asked !== undefined) {
          const delayMs = Math.min(MAX_RETRY_AFTER_MS, Math.max(MIN_RETRY_AFTER_MS, asked));
          const elapsed = state.now.getTime() - state.firstAttemptAt.getTime();
          if (elapsed + delayMs <= this.window) return { outcome: 'retry', delayMs, consumesRetry: false };
        }
      }
    }
    const next = state.failures + 1;
    if (next >= this.delaysMs.length) return { outcome: 'dead', reason: 'RETRIES_EXHAUSTED', disableEndpoint: false };
    return { outcome: 'retry', delayMs: this.withJitter(this.delaysMs[next]), consumesRetry: true };
  }

  withJitter(delayMs: number): number {
    if (delayMs <= 0) return 0;
    const factor = 1 + this.jitter * (2 * this.random() - 1);
    return Math.round(delayMs * factor);
  }
}
