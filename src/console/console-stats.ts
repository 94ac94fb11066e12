import type { AttemptRow } from './console-read.repository';

export const WINDOWS = { '1h': { span: 3600_000, bucket: 60_000 }, '24h': { span: 86_400_000, bucket: 3600_000 }, '7d': { span: 7 * 86_400_000, bucket: 6 * 3600_000 } } as const;
export type WindowName = keyof typeof WINDOWS;

/** Nearest-rank percentile of unsorted numbers (undefined for none). */
export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Bucket start times covering [now - span, now], oldest first. */
export function bucketStarts(now: number, window: WindowName): number[] {
  const { span, bucket } = WINDOWS[window];
  const first = Math.floor((now - span) / bucket) * bucket + bucket;
  const out: number[] = [];
  for (let t = first; t <= now; t += bucket) out.push(t);
  return out;
}

export interface AttemptStats {
  attempts: number;
  delivered: number;
  successRate?: number;
  p50?: number;
  p99?: number;
}

export function attemptStats(rows: AttemptRow[]): AttemptStats {
  const delivered = rows.filter((r) => r.ok).length;
  const latencies = rows.map((r) => r.latencyMs);
  return {
    attempts: rows.length,
    delivered,
    ...(rows.length ? { successRate: delivered / rows.length } : {}),
    ...(rows.length ? { p50: percentile(latencies, 50), p99: percentile(latencies, 99) } : {}),
  };
}

/** Groups rows into the window's buckets by a time field. */
export function byBucket<T>(rows: T[], at: (r: T) => number, starts: number[], bucketMs: number): T[][] {
  const out = starts.map(() => [] as T[]);
  const first = starts[0] ?? 0;
  for (const r of rows) {
    const i = Math.floor((at(r) - first) / bucketMs);
    if (i >= 0 && i < out.length) out[i].push(r);
  }
  return out;
}
