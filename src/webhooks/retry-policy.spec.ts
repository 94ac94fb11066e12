import { DEFAULT_WEBHOOK_RETRY_DELAYS_MS } from '../config/app-config';
import { parseRetryAfter, RetryPolicy, RetryState } from './retry-policy';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);
const state = (failures: number, elapsedMs = 0): RetryState => ({ failures, firstAttemptAt: at(0), now: at(elapsedMs) });

describe('RetryPolicy', () => {
  const exact = new RetryPolicy(DEFAULT_WEBHOOK_RETRY_DELAYS_MS, 0);

  it('caps the total delivery time: throttling keeps its steps, but nothing is scheduled past the cap', () => {
    const capped = new RetryPolicy(DEFAULT_WEBHOOK_RETRY_DELAYS_MS, 0, Math.random, 30 * 3600_000);
    const throttled = { kind: 'response', status: 429, retryAfter: '3600' } as const;
    // Inside the schedule's window a throttled attempt waits as asked and uses up no step.
    expect(capped.decide(throttled, state(0, 3600_000))).toEqual({ outcome: 'retry', delayMs: 3600_000, consumesRetry: false });
    // Past the window it uses steps, and a step that would land past the cap is refused.
    expect(capped.decide(throttled, state(6, 28 * 3600_000))).toEqual({ outcome: 'dead', reason: 'RETRIES_EXHAUSTED', disableEndpoint: false });
    expect(capped.decide({ kind: 'response', status: 500 }, state(3, 29.5 * 3600_000))).toEqual({ outcome: 'dead', reason: 'RETRIES_EXHAUSTED', disableEndpoint: false });
    // Uncapped, the same attempt would have been retried.
    expect(exact.decide({ kind: 'response', status: 500 }, state(3, 29.5 * 3600_000))).toMatchObject({ outcome: 'retry' });
  });

  it('delivers on any 2xx', () => {
    for (const status of [200, 201, 202, 204, 299]) {
      expect(exact.decide({ kind: 'response', status }, state(0))).toEqual({ outcome: 'delivered' });
    }
  });

  it('walks the one-day schedule and dead-letters after the last step', () => {
    const delays: number[] = [];
    let failures = 0;
    for (;;) {
      const d = exact.decide({ kind: 'response', status: 500 }, state(failures));
      if (d.outcome !== 'retry') {
        expect(d).toEqual({ outcome: 'dead', reason: 'RETRIES_EXHAUSTED', disableEndpoint: false });
        break;
      }
      expect(d.consumesRetry).toBe(true);
      delays.push(d.delayMs);
      failures++;
    }
    expect(delays).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(failures + 1).toBe(exact.maxAttempts); // eight attempts in all
    expect(exact.window / 3600_000).toBeCloseTo(27.58, 1); // "about a day"
  });

  it('treats redirects, client errors, timeouts and network errors as retryable failures', () => {
    for (const status of [301, 302, 400, 401, 404, 500, 502]) {
      expect(exact.decide({ kind: 'response', status }, state(0))).toMatchObject({ outcome: 'retry', consumesRetry: true });
    }
    expect(exact.decide({ kind: 'error', code: 'TIMEOUT', message: 't' }, state(2))).toEqual({
      outcome: 'retry',
      delayMs: 1_800_000,
      consumesRetry: true,
    });
  });

  it('dead-letters and disables the endpoint on 410', () => {
    expect(exact.decide({ kind: 'response', status: 410 }, state(0))).toEqual({
      outcome: 'dead',
      reason: 'ENDPOINT_GONE',
      disableEndpoint: true,
    });
  });

  it('honours Retry-After on 429 and 503 without using up a step', () => {
    expect(exact.decide({ kind: 'response', status: 429, retryAfter: '7' }, state(3))).toEqual({
      outcome: 'retry',
      delayMs: 7_000,
      consumesRetry: false,
    });
    expect(exact.decide({ kind: 'response', status: 503, retryAfter: '0' }, state(0))).toMatchObject({ delayMs: 1_000 });
    const httpDate = new Date(at(0).getTime() + 120_000).toUTCString();
    expect(exact.decide({ kind: 'response', status: 429, retryAfter: httpDate }, state(0))).toMatchObject({ delayMs: 120_000 });
  });

  it('falls back to the schedule for throttling without Retry-After or past the window', () => {
    expect(exact.decide({ kind: 'response', status: 429 }, state(0))).toMatchObject({ delayMs: 5_000, consumesRetry: true });
    const late = state(1, exact.window - 1_000);
    expect(exact.decide({ kind: 'response', status: 429, retryAfter: '60' }, late)).toMatchObject({ consumesRetry: true });
    expect(exact.decide({ kind: 'response', status: 429, retryAfter: '60' }, state(7, exact.window))).toMatchObject({ outcome: 'dead' });
  });

  it('spreads delays by the jitter and never delays an immediate step', () => {
    const low = new RetryPolicy([0, 10_000], 0.2, () => 0);
    const high = new RetryPolicy([0, 10_000], 0.2, () => 0.999999);
    expect(low.withJitter(10_000)).toBe(8_000);
    expect(high.withJitter(10_000)).toBe(12_000);
    expect(low.withJitter(0)).toBe(0);
    const random = new RetryPolicy([0, 10_000], 0.2);
    const seen = new Set(Array.from({ length: 50 }, () => random.withJitter(10_000)));
    expect(seen.size).toBeGreaterThan(10);
    for (const d of seen) {
      expect(d).toBeGreaterThanOrEqual(8_000);
      expect(d).toBeLessThanOrEqual(12_000);
    }
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates and ignores garbage', () => {
    const now = at(0);
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter(new Date(now.getTime() + 5_000).toUTCString(), now)).toBe(5_000);
    expect(parseRetryAfter(new Date(now.getTime() - 5_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
