import { Injectable, Logger } from '@nestjs/common';
import { OutboundRequestError, SafeHttpClient } from '../common/http/safe-http.client';
import { AppConfig } from '../config/app-config';
import { EndpointLimiter } from './endpoint-limiter';
import { AttemptResult, RetryPolicy } from './retry-policy';
import { WebhookEndpoints } from './webhook-endpoints';
import { WebhookEventsRepository } from './webhook-events.repository';
import type { WebhookEventRecord } from './webhook-event.types';
import type { DeliveryJobData, WebhookAttempt } from './webhook-event.types';
import { WebhookMetrics } from './webhook-metrics';
import { signWebhook } from './webhook-signer';

export type DeliveryOutcome =
  | { kind: 'delivered' }
  /** Nothing to do: the event is finished (or gone) already. */
  | { kind: 'noop'; reason: string }
  /** The endpoint is at its concurrency limit: try again shortly without counting an attempt. */
  | { kind: 'busy' }
  | { kind: 'retry'; at: number }
  | { kind: 'dead'; reason: string };

/** Receivers answer small bodies; a huge one is cut off (and counts as a failed attempt). */
const MAX_RESPONSE_BYTES = 1024 * 1024;
const ERROR_SNIPPET = 200;

function describeFailure(result: AttemptResult, body?: Buffer): string | undefined {
  if (result.kind === 'error') return `${result.code}: ${result.message}`;
  if (result.status >= 200 && result.status < 300) return undefined;
  const snippet = body?.subarray(0, ERROR_SNIPPET).toString('utf8').replace(/\s+/g, ' ').trim();
  return snippet ? `HTTP ${result.status}: ${snippet}` : `HTTP ${result.status}`;
}

/** The callback URL as logged: scheme, host and path; credentials, query and fragment (where secrets go) dropped. */
export function loggableEndpoint(callbackUrl: string): string {
  try {
    const url = new URL(callbackUrl);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '[invalid URL]';
  }
}

/**
 * One delivery attempt of one event: take the endpoint's slot, sign, POST, log the attempt and
 * decide what comes next. The queue worker only translates the outcome into BullMQ moves.
 */
@Injectable()
export class WebhookDelivery {
  private readonly logger = new Logger(WebhookDelivery.name);

  constructor(
    private readonly events: WebhookEventsRepository,
    private readonly endpoints: WebhookEndpoints,
    private readonly limiter: EndpointLimiter,
    private readonly http: SafeHttpClient,
    private readonly policy: RetryPolicy,
    private readonly metrics: WebhookMetrics,
    private readonly config: AppConfig,
  ) {}

  /** `trustFresh`: the job's first run, so the body it carries is the stored event's, untouched. */
  async execute(job: DeliveryJobData, trustFresh = false): Promise<DeliveryOutcome> {
    const lease = await this.limiter.tryAcquire(job.channelId, job.platform);
    if (!lease) {
      this.metrics.busy.inc();
      return { kind: 'busy' };
    }
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await lease.release().catch((err: unknown) => this.logger.warn({ err }, 'Could not release an endpoint slot; it expires by itself'));
    };
    try {
      const event = trustFresh && job.fresh ? this.freshEvent(job, job.fresh) : await this.events.findOpen(job.eventId);
      if (!event) return { kind: 'noop', reason: 'event is finished or gone' };

      const endpoint = await this.endpoints.get(event.clientIdentifier, event.channelId, event.platform);
      if (!endpoint || !endpoint.enabled) {
        const reason = endpoint ? 'ENDPOINT_DISABLED' : 'ENDPOINT_NOT_FOUND';
        await this.events.finish(event.eventId, { state: 'dead', reason });
        this.metrics.closed.inc({ reason });
        return { kind: 'dead', reason };
      }

      const startedAt = new Date();
      const secrets = endpoint.previousSecret ? [endpoint.secret, endpoint.previousSecret] : [endpoint.secret];
      const headers = signWebhook(secrets, event.eventId, event.body, startedAt);
      let result: AttemptResult;
      let responseBody: Buffer | undefined;
      try {
        const res = await this.http.request(endpoint.callbackUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: event.body,
          timeoutMs: this.config.webhooks.timeoutMs,
          maxBytes: MAX_RESPONSE_BYTES,
        });
        const retryAfter = res.headers['retry-after'];
        result = { kind: 'response', status: res.status, ...(typeof retryAfter === 'string' ? { retryAfter } : {}) };
        responseBody = res.body;
      } catch (err) {
        result =
          err instanceof OutboundRequestError
            ? { kind: 'error', code: err.kind, message: err.message }
            : { kind: 'error', code: 'NETWORK', message: (err as Error).message };
      }
      await release();
      return await this.conclude(event, result, responseBody, startedAt, endpoint.callbackUrl);
    } finally {
      await release();
    }
  }

  /** The event a fresh job describes, as the outbox has just stored it. */
  private freshEvent(job: DeliveryJobData, fresh: NonNullable<DeliveryJobData['fresh']>): WebhookEventRecord {
    const createdAt = new Date(fresh.createdAt);
    return {
      eventId: job.eventId,
      key: fresh.key,
      clientIdentifier: job.clientIdentifier,
      channelId: job.channelId,
      platform: job.platform,
      type: fresh.type,
      ...(fresh.chatId ? { chatId: fresh.chatId, seq: fresh.seq } : {}),
      body: fresh.body,
      state: 'pending',
      attempts: [],
      attemptCount: 0,
      failures: 0,
      replays: 0,
      createdAt,
      updatedAt: createdAt,
    };
  }

  private async conclude(
    event: WebhookEventRecord,
    result: AttemptResult,
    body: Buffer | undefined,
    startedAt: Date,
    callbackUrl: string,
  ): Promise<DeliveryOutcome> {
    const now = new Date();
    const latencyMs = now.getTime() - startedAt.getTime();
    const firstAttemptAt = event.firstAttemptAt ?? startedAt;
    const decision = this.policy.decide(result, { failures: event.failures, firstAttemptAt, now });
    const outcome: WebhookAttempt['outcome'] =
      decision.outcome === 'retry' ? (decision.consumesRetry ? 'retry' : 'throttled') : decision.outcome;
    const error = describeFailure(result, body);
    const attempt: WebhookAttempt = {
      at: startedAt,
      attempt: event.attemptCount + 1,
      ...(result.kind === 'response' ? { status: result.status } : {}),
      latencyMs,
      ...(error ? { error } : {}),
      outcome,
    };
    // Every failed attempt leaves a line: the delivery log keeps it too, but an operator reads logs.
    if (error)
      this.logger.warn(
        {
          eventId: event.eventId,
          channelId: event.channelId,
          platform: event.platform,
          type: event.type,
          attempt: attempt.attempt,
          endpoint: loggableEndpoint(callbackUrl),
          status: attempt.status,
          latencyMs,
          error,
          outcome,
          ...(decision.outcome === 'retry' ? { retryInMs: decision.delayMs } : {}),
        },
        'Webhook delivery attempt failed',
      );
    // One guarded update per attempt, awaited: once the job ends, the event's state says what
    // happened. A crash before it lands leaves the event open: its job runs again (stalled) or
    // the sweeper enqueues it again, and it is delivered again with the same webhook-id (at
    // least once). False: another run of this event wrote this attempt's move first.
    const first = event.firstAttemptAt ? {} : { firstAttemptAt };
    const applied =
      decision.outcome === 'retry'
        ? await this.events.recordFailure(event.eventId, { attempt, consumedRetry: decision.consumesRetry, ...first, nextAttemptAt: new Date(now.getTime() + decision.delayMs) })
        : await this.events.finish(event.eventId, { state: decision.outcome, attempt, consumedRetry: decision.outcome === 'dead', ...first, at: now });
    if (!applied) this.logger.debug({ eventId: event.eventId, attempt: attempt.attempt }, 'Webhook event moved on meanwhile; this attempt is not logged');
    this.metrics.attempts.inc({ outcome });
    this.metrics.attemptDuration.observe({ outcome }, latencyMs / 1000);

    switch (decision.outcome) {
      case 'delivered':
        this.metrics.endToEnd.observe((now.getTime() - event.createdAt.getTime()) / 1000);
        return { kind: 'delivered' };
      case 'retry':
        return { kind: 'retry', at: now.getTime() + decision.delayMs };
      case 'dead':
        if (decision.disableEndpoint) {
          await this.endpoints
            .disable(event.clientIdentifier, event.channelId, event.platform, 'The callback URL answered 410 Gone')
            .catch((err: unknown) => this.logger.error({ err, channelId: event.channelId, platform: event.platform }, 'Could not disable the endpoint'));
        }
        this.logger.warn({ eventId: event.eventId, channelId: event.channelId, platform: event.platform, reason: decision.reason, error }, 'Webhook event dead-lettered');
        return { kind: 'dead', reason: decision.reason };
    }
  }
}
