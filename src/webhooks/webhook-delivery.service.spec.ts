import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Webhook } from 'standardwebhooks';
import { OutboundRequest, OutboundRequestError, OutboundResponse, SafeHttpClient } from '../common/http/safe-http.client';
import { AppConfig } from '../config/app-config';
import { MetricsService } from '../metrics/metrics.service';
import { EndpointLease, EndpointLimiter } from './endpoint-limiter';
import { RetryPolicy } from './retry-policy';
import { WebhookDelivery } from './webhook-delivery.service';
import { WebhookEndpoint, WebhookEndpoints } from './webhook-endpoints';
import { FailureUpdate, FinishUpdate, WebhookEventsRepository } from './webhook-events.repository';
import type { WebhookAttempt, WebhookEventRecord } from './webhook-event.types';
import { WebhookMetrics } from './webhook-metrics';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** The event collection in memory, applying the guarded moves as the repository states them. */
class FakeEvents {
  events = new Map<string, WebhookEventRecord>();
  updates: { state: string; consumedRetry: boolean; attempt: WebhookAttempt; firstAttemptAt?: Date }[] = [];
  finished: WebhookEventRecord[] = [];
  reads = 0;
  async findOpen(eventId: string) {
    this.reads++;
    const e = this.events.get(eventId);
    return e && (e.state === 'pending' || e.state === 'failed') ? e : undefined;
  }
  /** The guard: open, and the attempt numbered right after the stored ones. */
  private open(eventId: string, attempt?: WebhookAttempt) {
    const e = this.events.get(eventId);
    if (!e || (e.state !== 'pending' && e.state !== 'failed')) return undefined;
    return attempt && attempt.attempt !== e.attemptCount + 1 ? undefined : e;
  }
  async recordFailure(eventId: string, u: FailureUpdate) {
    const e = this.open(eventId, u.attempt);
    if (!e) return false;
    this.updates.push({ state: 'failed', consumedRetry: u.consumedRetry, attempt: u.attempt, firstAttemptAt: u.firstAttemptAt });
    this.events.set(eventId, {
      ...e,
      state: 'failed',
      attempts: [...e.attempts, u.attempt],
      attemptCount: e.attemptCount + 1,
      failures: e.failures + (u.consumedRetry ? 1 : 0),
      firstAttemptAt: e.firstAttemptAt ?? u.firstAttemptAt,
      nextAttemptAt: u.nextAttemptAt,
    });
    return true;
  }
  async finish(eventId: string, u: FinishUpdate) {
    const e = this.open(eventId, u.attempt);
    if (!e) return false;
    if (u.attempt) this.updates.push({ state: u.state, consumedRetry: u.consumedRetry ?? false, attempt: u.attempt, firstAttemptAt: u.firstAttemptAt });
    const done: WebhookEventRecord = {
      ...e,
      state: u.state,
      attempts: u.attempt ? [...e.attempts, u.attempt] : e.attempts,
      attemptCount: e.attemptCount + (u.attempt ? 1 : 0),
      failures: e.failures + (u.consumedRetry ? 1 : 0),
      firstAttemptAt: e.firstAttemptAt ?? u.firstAttemptAt,
      lastError: u.attempt ? u.attempt.error : u.reason,
    };
    this.events.set(eventId, done);
    this.finished.push(done);
    return true;
  }
  get closed() {
    return this.finished.filter((e) => e.attempts.length === 0).map((e) => ({ eventId: e.eventId, reason: e.lastError }));
  }
}

class FakeEndpoints extends WebhookEndpoints {
  endpoint: WebhookEndpoint | undefined = { slug: 'crm', callbackUrl: 'https://crm.example/hook', enabled: true, secret: SECRET };
  disabled: string[] = [];
  async get() {
    return this.endpoint;
  }
  async disable(_c: string, _ch: string, slug: string) {
    this.disabled.push(slug);
  }
}

class FakeLimiter {
  full = false;
  held = 0;
  async tryAcquire(): Promise<EndpointLease | undefined> {
    if (this.full) return undefined;
    this.held++;
    return { release: async () => void this.held-- };
  }
}

class FakeHttp {
  calls: { url: string; req: OutboundRequest }[] = [];
  next: () => Promise<Partial<OutboundResponse>> = async () => ({ status: 200 });
  async request(url: string, req: OutboundRequest): Promise<OutboundResponse> {
    this.calls.push({ url, req });
    const r = await this.next();
    return { status: 200, headers: {}, body: Buffer.alloc(0), durationMs: 1, ...r };
  }
}

function event(overrides: Partial<WebhookEventRecord> = {}): WebhookEventRecord {
  const now = new Date();
  return {
    eventId: 'evt_00000000000000000000000000000001',
    key: 'k',
    clientIdentifier: 'acc',
    channelId: 'ch1',
    platform: 'crm',
    type: 'message.received',
    body: JSON.stringify({ version: 1, id: 'evt_00000000000000000000000000000001', data: { text: 'oi' } }),
    state: 'pending',
    attempts: [],
    attemptCount: 0,
    failures: 0,
    replays: 0,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

describe('WebhookDelivery', () => {
  let sut: WebhookDelivery;
  let events: FakeEvents;
  let endpoints: FakeEndpoints;
  let limiter: FakeLimiter;
  let http: FakeHttp;
  const job = { eventId: 'evt_00000000000000000000000000000001', clientIdentifier: 'acc', channelId: 'ch1', platform: 'crm' };

  beforeEach(async () => {
    events = new FakeEvents();
    endpoints = new FakeEndpoints();
    limiter = new FakeLimiter();
    http = new FakeHttp();
    const config = { webhooks: { timeoutMs: 10_000, retryDelaysMs: [0, 5_000, 300_000] } } as AppConfig;
    const moduleRef = await Test.createTestingModule({
      providers: [
        WebhookDelivery,
        WebhookMetrics,
        MetricsService,
        { provide: AppConfig, useValue: config },
        { provide: WebhookEventsRepository, useValue: events },
        { provide: WebhookEndpoints, useValue: endpoints },
        { provide: EndpointLimiter, useValue: limiter },
        { provide: SafeHttpClient, useValue: http },
        { provide: RetryPolicy, useValue: new RetryPolicy(config.webhooks.retryDelaysMs, 0) },
      ],
    }).compile();
    sut = moduleRef.get(WebhookDelivery);
    events.events.set(job.eventId, event());
  });

  it('POSTs the stored body signed for the endpoint, with the timeout, and marks it delivered', async () => {
    const outcome = await sut.execute(job);
    expect(outcome).toEqual({ kind: 'delivered' });
    expect(http.calls).toHaveLength(1);
    const { url, req } = http.calls[0];
    expect(url).toBe('https://crm.example/hook');
    expect(req.method).toBe('POST');
    expect(req.timeoutMs).toBe(10_000);
    expect(req.headers!['content-type']).toBe('application/json');
    expect(req.headers!['webhook-id']).toBe(job.eventId);
    expect(new Webhook(SECRET).verify(req.body as string, req.headers!)).toEqual(JSON.parse(event().body));
    expect(events.updates[0]).toMatchObject({ state: 'delivered', consumedRetry: false, attempt: { attempt: 1, status: 200, outcome: 'delivered' } });
    expect(limiter.held).toBe(0);
  });

  it('signs with the previous secret too while a rotation overlaps', async () => {
    const previous = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
    endpoints.endpoint = { ...endpoints.endpoint!, previousSecret: previous };
    await sut.execute(job);
    const { req } = http.calls[0];
    expect(new Webhook(previous).verify(req.body as string, req.headers!)).toBeTruthy();
  });

  it('schedules the next step on a 500 and records the error with a body snippet', async () => {
    http.next = async () => ({ status: 500, body: Buffer.from('boom\n  at line') });
    const before = Date.now();
    const outcome = await sut.execute(job);
    expect(outcome.kind).toBe('retry');
    expect((outcome as { at: number }).at).toBeGreaterThanOrEqual(before + 5_000);
    expect(events.updates[0]).toMatchObject({ state: 'failed', consumedRetry: true, attempt: { status: 500, error: 'HTTP 500: boom at line', outcome: 'retry' } });
    expect(events.updates[0].firstAttemptAt).toBeInstanceOf(Date);
  });

  it('records timeouts and refused addresses as failed attempts', async () => {
    http.next = async () => {
      throw new OutboundRequestError('TIMEOUT', 'no answer within 10000 ms');
    };
    expect((await sut.execute(job)).kind).toBe('retry');
    expect(events.updates[0].attempt).toMatchObject({ error: 'TIMEOUT: no answer within 10000 ms', outcome: 'retry' });
    expect(events.updates[0].attempt.status).toBeUndefined();
  });

  it('dead-letters after the last step', async () => {
    http.next = async () => ({ status: 502 });
    expect((await sut.execute(job)).kind).toBe('retry');
    expect((await sut.execute(job)).kind).toBe('retry');
    expect(await sut.execute(job)).toEqual({ kind: 'dead', reason: 'RETRIES_EXHAUSTED' });
    expect(events.updates.map((u) => u.state)).toEqual(['failed', 'failed', 'dead']);
    expect(events.updates.map((u) => u.attempt.attempt)).toEqual([1, 2, 3]);
  });

  it('disables the endpoint and dead-letters on 410', async () => {
    http.next = async () => ({ status: 410 });
    expect(await sut.execute(job)).toEqual({ kind: 'dead', reason: 'ENDPOINT_GONE' });
    expect(endpoints.disabled).toEqual(['crm']);
  });

  it('waits as Retry-After says on 429 without using up a step', async () => {
    http.next = async () => ({ status: 429, headers: { 'retry-after': '3' } });
    const before = Date.now();
    const outcome = (await sut.execute(job)) as { kind: string; at: number };
    expect(outcome.kind).toBe('retry');
    expect(outcome.at - before).toBeGreaterThanOrEqual(3_000);
    expect(outcome.at - before).toBeLessThan(4_000);
    expect(events.updates[0]).toMatchObject({ consumedRetry: false, attempt: { outcome: 'throttled', status: 429 } });
  });

  it('gives the slot back without touching the event when the endpoint is full', async () => {
    limiter.full = true;
    expect(await sut.execute(job)).toEqual({ kind: 'busy' });
    expect(http.calls).toHaveLength(0);
    expect(events.updates).toHaveLength(0);
  });

  it('does nothing for an event already finished (a duplicate job)', async () => {
    events.events.delete(job.eventId);
    expect(await sut.execute(job)).toEqual({ kind: 'noop', reason: 'event is finished or gone' });
    expect(http.calls).toHaveLength(0);
    expect(limiter.held).toBe(0);
  });

  it('dead-letters without a request when the endpoint is disabled or removed', async () => {
    endpoints.endpoint = { ...endpoints.endpoint!, enabled: false };
    expect(await sut.execute(job)).toEqual({ kind: 'dead', reason: 'ENDPOINT_DISABLED' });
    events.events.set(job.eventId, event());
    endpoints.endpoint = undefined;
    expect(await sut.execute(job)).toEqual({ kind: 'dead', reason: 'ENDPOINT_NOT_FOUND' });
    expect(http.calls).toHaveLength(0);
    expect(events.closed.map((c) => c.reason)).toEqual(['ENDPOINT_DISABLED', 'ENDPOINT_NOT_FOUND']);
  });

  it("delivers a fresh job's body without reading the outbox, and reads it when not trusted", async () => {
    const body = JSON.stringify({ version: 1, id: job.eventId, data: { fresh: true } });
    const fresh = { ...job, fresh: { body, createdAt: Date.now(), key: 'k', type: 'message.received' as const, chatId: 'a@c.us', seq: 7 } };
    // What the outbox stored just before it enqueued the job.
    events.events.set(job.eventId, event({ body, chatId: 'a@c.us', seq: 7 }));
    expect(await sut.execute(fresh, true)).toEqual({ kind: 'delivered' });
    expect(events.reads).toBe(0);
    expect(http.calls[0].req.body).toBe(body);
    expect(events.updates[0]).toMatchObject({ state: 'delivered', attempt: { attempt: 1 } });
    expect(events.finished[0]).toMatchObject({ eventId: job.eventId, state: 'delivered', attemptCount: 1, attempts: [{ attempt: 1, outcome: 'delivered' }] });

    expect(await sut.execute(fresh, false)).toEqual({ kind: 'noop', reason: 'event is finished or gone' });
    expect(events.reads).toBe(1);
    expect(http.calls).toHaveLength(1);
  });

  describe('logs each failed attempt at warn', () => {
    let warn: jest.SpyInstance;
    beforeEach(() => {
      warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    });
    afterEach(() => warn.mockRestore());
    const failures = () => warn.mock.calls.filter((c) => c[1] === 'Webhook delivery attempt failed').map((c) => c[0] as Record<string, unknown>);

    it('with the endpoint (no credentials or query), status, latency and error', async () => {
      endpoints.endpoint = { ...endpoints.endpoint!, callbackUrl: 'https://crm.example/hook?token=s3cret#frag' };
      http.next = async () => ({ status: 503, body: Buffer.from('down for maintenance') });
      await sut.execute(job);
      const [line] = failures();
      expect(line).toMatchObject({
        eventId: job.eventId,
        channelId: 'ch1',
        platform: 'crm',
        attempt: 1,
        endpoint: 'https://crm.example/hook',
        status: 503,
        latencyMs: expect.any(Number),
        error: 'HTTP 503: down for maintenance',
        outcome: 'retry',
      });
      expect(JSON.stringify(warn.mock.calls)).not.toContain('s3cret');
    });

    it('for network errors and timeouts too (no status), and for the last, dead-lettered attempt', async () => {
      http.next = async () => {
        throw new OutboundRequestError('TIMEOUT', 'not complete within 10000 ms');
      };
      await sut.execute(job);
      expect(failures()[0]).toMatchObject({ endpoint: 'https://crm.example/hook', error: 'TIMEOUT: not complete within 10000 ms', latencyMs: expect.any(Number) });
      expect(failures()[0].status).toBeUndefined();
      events.events.set(job.eventId, event({ failures: 3, attemptCount: 3 }));
      await sut.execute(job);
      expect(failures()[1]).toMatchObject({ attempt: 4, outcome: 'dead' });
    });

    it('and not at all for a delivered attempt', async () => {
      await sut.execute(job);
      expect(failures()).toEqual([]);
    });
  });
});
