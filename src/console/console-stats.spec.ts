import { attemptStats, bucketStarts, byBucket, percentile } from './console-stats';

describe('console stats', () => {
  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
  });

  it('summarises attempts: success rate and latency', () => {
    const rows = [10, 20, 30, 400].map((latencyMs, i) => ({ platform: 'p', channelId: 'c', at: new Date(i), latencyMs, ok: i !== 3 }));
    expect(attemptStats(rows)).toEqual({ attempts: 4, delivered: 3, successRate: 0.75, p50: 20, p99: 400 });
    expect(attemptStats([])).toEqual({ attempts: 0, delivered: 0 });
  });

  it('puts rows into the buckets of the window, dropping those outside', () => {
    const now = 10 * 60_000 + 30_000;
    const starts = bucketStarts(now, '1h');
    expect(starts).toHaveLength(60);
    expect(starts[starts.length - 1]).toBe(10 * 60_000);
    const buckets = byBucket([now, now - 61_000, now - 2 * 3600_000], (t) => t, starts, 60_000);
    expect(buckets[59]).toEqual([now]);
    expect(buckets[58]).toEqual([now - 61_000]);
    expect(buckets.flat()).toHaveLength(2);
  });
});
