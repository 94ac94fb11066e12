import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';

export type AttemptOutcome = 'delivered' | 'retry' | 'throttled' | 'dead';

/** Webhook counters and latencies on the process registry (`GET /metrics`). */
@Injectable()
export class WebhookMetrics {
  readonly recorded: Counter<'type'>;
  readonly attempts: Counter<'outcome'>;
  readonly closed: Counter<'reason'>;
  readonly busy: Counter;
  readonly requeued: Counter<'source'>;
  readonly attemptDuration: Histogram<'outcome'>;
  readonly endToEnd: Histogram;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.recorded = new Counter({
      name: 'webhook_events_recorded_total',
      help: 'Webhook events stored in the outbox, by type',
      labelNames: ['type'] as const,
      registers,
    });
    this.attempts = new Counter({
      name: 'webhook_delivery_attempts_total',
      help: 'Delivery attempts by outcome (delivered, retry, throttled, dead)',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.closed = new Counter({
      name: 'webhook_events_closed_without_attempt_total',
      help: 'Events dead-lettered or skipped before any request (endpoint disabled or removed)',
      labelNames: ['reason'] as const,
      registers,
    });
    this.busy = new Counter({
      name: 'webhook_endpoint_busy_total',
      help: 'Jobs put back because their endpoint was at its concurrency limit',
      registers,
    });
    this.requeued = new Counter({
      name: 'webhook_sweeper_requeued_total',
      help: 'Events re-enqueued by the sweeper (no live job) or recreated from undispatched messages',
      labelNames: ['source'] as const,
      registers,
    });
    this.attemptDuration = new Histogram({
      name: 'webhook_delivery_attempt_duration_seconds',
      help: 'Duration of one HTTP delivery attempt',
      labelNames: ['outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.endToEnd = new Histogram({
      name: 'webhook_delivery_latency_seconds',
      help: 'From recording an event to its 2xx (first successful delivery, retries included)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300, 3600, 86400],
      registers,
    });
  }
}
