import { WebhookEventsRepository } from '../../src/webhooks/webhook-events.repository';
import { WebhookOutbox } from '../../src/webhooks/webhook-outbox.service';
import { WebhookQueue } from '../../src/webhooks/webhook-queue';
import { WebhookSweeper } from '../../src/webhooks/webhook-sweeper.service';
import { eventIdFor } from '../../src/webhooks/webhooks.constants';
import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { verify, waitFor, WebhookReceiver } from './receiver';

/**
 * The delivery engine on real Redis, FerretDB and HTTP: events are recorded straight into the
 * outbox (the inbound pipeline has its own spec) and must reach a local receiver signed.
 */
jest.setTimeout(60_000);

describe('webhook delivery', () => {
  let t: TestApp;
  let acc: ApiClient;
  let admin: ApiClient;
  let outbox: WebhookOutbox;
  const fast = new WebhookReceiver();
  const slow = new WebhookReceiver();
  let channelId: string;
  const secrets: Record<string, string> = {};
  let n = 0;

  beforeAll(async () => {
    await fast.start();
    await slow.start();
    t = await startTestApp('whdelivery', {
      WEBHOOK_RETRY_DELAYS_MS: '0,300,600,900',
      WEBHOOK_TIMEOUT_MS: '1000',
      WEBHOOK_ENDPOINT_CONCURRENCY: '2',
      WEBHOOK_SWEEP_INTERVAL_MS: '1000',
    });
    admin = new ApiClient(t.baseUrl, t.adminKey);
    acc = await accountClient(admin, 'acc-wh');
    const res = await acc.post('/channels/setup/whatsappweb', {
      provider: { clientNumber: '5521987650001', companyId: 'c1' },
      startingPlatform: 'fast',
      platforms: [
        { slug: 'fast', callbackUrl: `${fast.url}/hook` },
        { slug: 'slow', callbackUrl: `${slow.url}/hook` },
      ],
    });
    expect(res.status).toBe(201);
    channelId = res.body.id;
    for (const p of res.body.platforms) secrets[p.slug] = p.secret;
    outbox = t.app.get(WebhookOutbox);
  });

  afterAll(async () => {
    await t.close();
    await fast.stop();
    await slow.stop();
  });

  beforeEach(() => {
    fast.reply = () => ({ status: 200 });
    slow.reply = () => ({ status: 200 });
  });

  const record = (platform = 'fast', data: Record<string, unknown> = { text: `hello ${++n}` }) =>
    outbox.record({
      key: `${channelId}:message.received:test-${++n}:${platform}`,
      clientIdentifier: 'acc-wh',
      channelId,
      platform,
      type: 'message.received',
      chatId: '5521999990000@c.us',
      data,
    });

  const eventOf = async (eventId: string) => (await acc.get(`/webhooks/events/${eventId}`)).body;
  const settled = (eventId: string, state = 'delivered') =>
    waitFor(`${eventId} ${state}`, async () => {
      const e = await eventOf(eventId);
      return e.state === state ? e : undefined;
    });

  it('delivers a signed, versioned payload that the standardwebhooks library verifies', async () => {
    const { eventId, created } = await record('fast', { text: 'olá' });
    expect(created).toBe(true);
    const r = await waitFor('delivery', () => fast.received.find((x) => x.headers['webhook-id'] === eventId));
    expect(r.path).toBe('/hook');
    expect(r.headers['content-type']).toBe('application/json');
    const payload = verify(secrets.fast, r);
    expect(payload).toEqual({
      version: 1,
      id: eventId,
      type: 'message.received',
      createdAt: expect.any(String),
      clientIdentifier: 'acc-wh',
      channelId,
      platform: 'fast',
      chat: { id: '5521999990000@c.us', seq: expect.any(Number) },
      data: { text: 'olá' },
    });
    expect(() => verify(secrets.slow, r)).toThrow();
    const e = await settled(eventId);
    expect(e.attempts).toEqual([expect.objectContaining({ attempt: 1, status: 200, outcome: 'delivered', latencyMs: expect.any(Number) })]);
    expect(e.payload).toEqual(payload);
  });

  it('numbers events per chat so platforms can order them', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await record()).eventId);
    await waitFor('5 deliveries', () => ids.every((id) => fast.received.some((r) => r.headers['webhook-id'] === id)));
    const seqs = ids.map((id) => JSON.parse(fast.received.find((r) => r.headers['webhook-id'] === id)!.body).chat.seq as number);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
  });

  it('stores the same event key once', async () => {
    const key = `${channelId}:message.received:dup-1:fast`;
    const input = { key, clientIdentifier: 'acc-wh', channelId, platform: 'fast', type: 'message.received' as const, data: {} };
    const a = await outbox.record(input);
    const b = await outbox.record(input);
    expect(a).toEqual({ eventId: eventIdFor(key), created: true });
    expect(b).toEqual({ eventId: a.eventId, created: false });
    await settled(a.eventId);
    await new Promise((r) => setTimeout(r, 300));
    expect(fast.received.filter((r) => r.headers['webhook-id'] === a.eventId)).toHaveLength(1);
  });

  it('retries a 500 on the schedule and logs every attempt with the same webhook-id', async () => {
    let calls = 0;
    fast.reply = () => (++calls <= 2 ? { status: 500, body: 'try later' } : { status: 204 });
    const { eventId } = await record();
    const e = await settled(eventId);
    expect(e.attempts.map((a: any) => [a.status, a.outcome])).toEqual([
      [500, 'retry'],
      [500, 'retry'],
      [204, 'delivered'],
    ]);
    expect(e.attempts[0].error).toBe('HTTP 500: try later');
    const copies = fast.received.filter((r) => r.headers['webhook-id'] === eventId);
    expect(copies).toHaveLength(3);
    expect(new Set(copies.map((c) => c.body)).size).toBe(1);
    copies.forEach((c) => verify(secrets.fast, c));
    // ±20 % jitter around 300 ms and 600 ms
    expect(copies[1].at - copies[0].at).toBeGreaterThanOrEqual(200);
    expect(copies[2].at - copies[1].at).toBeGreaterThanOrEqual(450);
  });

  it('honours Retry-After on 429', async () => {
    let calls = 0;
    fast.reply = () => (++calls === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 });
    const { eventId } = await record();
    const e = await settled(eventId);
    expect(e.attempts.map((a: any) => a.outcome)).toEqual(['throttled', 'delivered']);
    const copies = fast.received.filter((r) => r.headers['webhook-id'] === eventId);
    expect(copies[1].at - copies[0].at).toBeGreaterThanOrEqual(950);
  });

  it('gives up on a receiver that hangs past the timeout, then retries', async () => {
    let calls = 0;
    fast.reply = () => (++calls === 1 ? 'hang' : { status: 200 });
    const { eventId } = await record();
    const e = await settled(eventId);
    expect(e.attempts[0]).toMatchObject({ outcome: 'retry', error: expect.stringMatching(/^TIMEOUT/) });
    expect(e.attempts[0].latencyMs).toBeGreaterThanOrEqual(950);
    expect(e.attempts[1]).toMatchObject({ outcome: 'delivered', status: 200 });
  });

  it('treats a redirect as a failure and does not follow it', async () => {
    fast.reply = (r) => (r.path === '/hook' ? { status: 302, headers: { location: `${fast.url}/elsewhere` } } : { status: 200 });
    const { eventId } = await record();
    const e = await settled(eventId, 'dead');
    expect(e.attempts).toHaveLength(4);
    expect(e.attempts.every((a: any) => a.status === 302)).toBe(true);
    expect(fast.received.some((r) => r.path === '/elsewhere')).toBe(false);
  });

  it('dead-letters after the last attempt, then replays failed events of the endpoint with the same id', async () => {
    fast.reply = () => ({ status: 503 });
    const since = new Date().toISOString();
    const a = await record();
    const b = await record();
    await settled(a.eventId, 'dead');
    await settled(b.eventId, 'dead');
    const dead = await acc.get(`/webhooks/events?channelId=${channelId}&platform=fast&state=dead&since=${encodeURIComponent(since)}`);
    expect(dead.status).toBe(200);
    expect(dead.body.data.map((e: any) => e.eventId).sort()).toEqual([a.eventId, b.eventId].sort());
    expect(dead.body.data[0]).toMatchObject({ attemptCount: 4, lastStatus: 503 });

    fast.reply = () => ({ status: 200 });
    const replay = await acc.post('/webhooks/replay', { channelId, platform: 'fast', since });
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ replayed: 2, more: false });
    const e = await settled(a.eventId);
    await settled(b.eventId);
    expect(e.replays).toBe(1);
    expect(e.attempts).toHaveLength(5);
    expect(fast.received.filter((r) => r.headers['webhook-id'] === a.eventId)).toHaveLength(5);
  });

  it('replays one delivered event on request', async () => {
    const { eventId } = await record();
    await settled(eventId);
    const res = await acc.post(`/webhooks/events/${eventId}/replay`);
    expect(res.status).toBe(202);
    await waitFor('second copy', () => fast.received.filter((r) => r.headers['webhook-id'] === eventId).length === 2);
    expect((await settled(eventId)).attemptCount).toBe(2);
  });

  it('answers 404 for unknown or malformed ids and other accounts', async () => {
    expect((await acc.get('/webhooks/events/evt_00000000000000000000000000000000')).body.code).toBe('WEBHOOK_EVENT_NOT_FOUND');
    expect((await acc.get('/webhooks/events/nope')).status).toBe(404);
    const { eventId } = await record();
    const other = await accountClient(admin, 'acc-wh-other');
    expect((await other.get(`/webhooks/events/${eventId}`)).status).toBe(404);
    expect((await other.post(`/webhooks/events/${eventId}/replay`)).status).toBe(404);
    expect((await other.get('/webhooks/events')).body.total).toBe(0);
  });

  it('keeps a slow endpoint to its concurrency limit while a fast one flows', async () => {
    slow.reply = () => ({ status: 200, delayMs: 800 });
    slow.maxInFlight = 0;
    const slowIds: string[] = [];
    for (let i = 0; i < 8; i++) slowIds.push((await record('slow')).eventId);
    const fastIds: string[] = [];
    for (let i = 0; i < 20; i++) fastIds.push((await record('fast')).eventId);
    const fastDone = await waitFor('fast events', () => fastIds.every((id) => fast.received.some((r) => r.headers['webhook-id'] === id)) && Date.now());
    const slowDelivered = slow.received.filter((r) => slowIds.includes(String(r.headers['webhook-id']))).length;
    expect(slowDelivered).toBeLessThan(8); // the fast endpoint did not wait for the slow one
    await waitFor('slow events', () => slowIds.every((id) => slow.received.some((r) => r.headers['webhook-id'] === id)));
    expect(slow.maxInFlight).toBeLessThanOrEqual(2);
    expect(Date.now()).toBeGreaterThan(fastDone);
  });

  it('disables the endpoint on 410 and refuses to replay to it until re-enabled', async () => {
    slow.reply = () => ({ status: 410 });
    const { eventId } = await record('slow');
    const e = await settled(eventId, 'dead');
    expect(e.lastStatus).toBe(410);
    const platform = await acc.get(`/channels/${channelId}/platforms/slow`);
    expect(platform.body).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('410') });
    const replay = await acc.post(`/webhooks/events/${eventId}/replay`);
    expect(replay.status).toBe(422);
    expect(replay.body.code).toBe('WEBHOOK_ENDPOINT_DISABLED');

    const next = await record('slow');
    expect((await settled(next.eventId, 'dead')).lastError).toBe('ENDPOINT_DISABLED');

    slow.reply = () => ({ status: 200 });
    expect((await acc.patch(`/channels/${channelId}/platforms/slow`, { enabled: true })).status).toBe(200);
    expect((await acc.post(`/webhooks/events/${eventId}/replay`)).status).toBe(202);
    await settled(eventId);
  });

  it('re-enqueues an event whose job was lost', async () => {
    fast.reply = () => ({ status: 200 });
    // Stored without a job: what a crash between the insert and the enqueue leaves.
    const repo = t.app.get(WebhookEventsRepository);
    const eventId = eventIdFor(`lost-${Date.now()}`);
    const body = JSON.stringify({ version: 1, id: eventId, type: 'message.received', data: {} });
    await repo.insert({ eventId, key: 'lost', clientIdentifier: 'acc-wh', channelId, platform: 'fast', type: 'message.received', body }, new Date(Date.now() - 5_000));
    expect(await t.app.get(WebhookQueue).state(eventId)).toBe('unknown');
    await t.app.get(WebhookSweeper).sweep();
    await settled(eventId);
  });

  it('moves an event with guarded updates: a racing second run writes nothing, a duplicate insert is refused', async () => {
    const repo = t.app.get(WebhookEventsRepository);
    const eventId = eventIdFor(`race-${Date.now()}`);
    const base = { eventId, key: 'race', clientIdentifier: 'acc-wh', channelId, platform: 'fast', type: 'message.received' as const, body: '{}' };
    // Far in the future for the sweeper: no job ever runs it.
    expect(await repo.insert(base, new Date(Date.now() + 86_400_000))).toEqual({ created: true });
    expect(await repo.insert(base)).toEqual({ created: false });
    const attempt = (n: number, outcome: 'delivered' | 'retry') => ({ at: new Date(), attempt: n, status: outcome === 'retry' ? 500 : 200, latencyMs: 1, outcome });
    // Ten runs that all read the event before any of them wrote: one attempt 1 is logged.
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        i % 2 ? repo.finish(eventId, { state: 'delivered', attempt: attempt(1, 'delivered') }) : repo.recordFailure(eventId, { attempt: attempt(1, 'retry'), consumedRetry: true, nextAttemptAt: new Date(Date.now() + 86_400_000) }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const after = await eventOf(eventId);
    expect(after.attempts).toHaveLength(1);
    expect(after.attemptCount).toBe(1);
    if (after.state === 'delivered') {
      // Finished: no more attempts, and a bulk replay (failed or dead only) leaves it alone.
      expect(await repo.recordFailure(eventId, { attempt: attempt(2, 'retry'), consumedRetry: true, nextAttemptAt: new Date() })).toBe(false);
      await repo.reopen([eventId], ['failed', 'dead']);
      expect((await eventOf(eventId)).state).toBe('delivered');
    } else {
      expect(after.state).toBe('failed');
      expect(await repo.finish(eventId, { state: 'delivered', attempt: attempt(2, 'delivered') })).toBe(true);
    }
  });

  it('deletes finished events past the retention, keeping open ones', async () => {
    const repo = t.app.get(WebhookEventsRepository);
    const old = new Date(Date.now() - 31 * 86_400_000);
    const base = { key: 'old', clientIdentifier: 'acc-wh', channelId, platform: 'fast', type: 'message.received' as const, body: '{}' };
    const delivered = eventIdFor(`old-delivered-${Date.now()}`);
    const open = eventIdFor(`old-open-${Date.now()}`);
    await repo.insert({ ...base, eventId: open }, old);
    // Open and waiting for a retry tomorrow, so the sweeper leaves it alone.
    await repo.recordFailure(open, {
      attempt: { at: old, attempt: 1, status: 500, latencyMs: 1, outcome: 'retry' },
      consumedRetry: true,
      nextAttemptAt: new Date(Date.now() + 86_400_000),
    });
    await repo.insert({ ...base, eventId: delivered }, old);
    expect(await repo.finish(delivered, { state: 'delivered', attempt: { at: old, attempt: 1, status: 200, latencyMs: 1, outcome: 'delivered' }, at: old })).toBe(true);
    expect(await t.app.get(WebhookSweeper).pruneLog(new Date(), true)).toBeGreaterThanOrEqual(1);
    expect((await acc.get(`/webhooks/events/${delivered}`)).status).toBe(404);
    expect((await acc.get(`/webhooks/events/${open}`)).status).toBe(200);
  });

  it('validates list filters', async () => {
    const bad = await acc.get('/webhooks/events?state=lost&since=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    const page = await acc.get('/webhooks/events?limit=2&page=1');
    expect(page.body).toMatchObject({ page: 1, limit: 2, data: expect.any(Array) });
    expect(page.body.data).toHaveLength(2);
    expect(page.body.data[0]).not.toHaveProperty('body');
  });

  it('describes the log and replay responses in /docs-json, as the routes answer them', async () => {
    const doc = (await (await fetch(`${t.baseUrl}/docs-json`)).json()) as any;
    const schemas = doc.components.schemas;
    const responseOf = (path: string, method: string, status: string) => doc.paths[path][method].responses[status]?.content?.['application/json']?.schema?.$ref;
    expect(responseOf('/webhooks/events', 'get', '200')).toBe('#/components/schemas/WebhookEventPageResponse');
    expect(responseOf('/webhooks/events/{eventId}', 'get', '200')).toBe('#/components/schemas/WebhookEventDetailResponse');
    expect(responseOf('/webhooks/events/{eventId}/replay', 'post', '202')).toBe('#/components/schemas/WebhookEventSummaryResponse');
    expect(responseOf('/webhooks/replay', 'post', '202')).toBe('#/components/schemas/WebhookBulkReplayResponse');
    /** Every key of the answer is described, and every required property is in it. */
    const conforms = (body: Record<string, unknown>, schema: string) => {
      const s = schemas[schema];
      expect(s).toBeDefined();
      expect({ schema, undescribed: Object.keys(body).filter((k) => !(k in s.properties)) }).toEqual({ schema, undescribed: [] });
      expect({ schema, missing: (s.required ?? []).filter((k: string) => !(k in body)) }).toEqual({ schema, missing: [] });
    };

    fast.reply = (_req, i) => (i % 2 === 0 ? { status: 500 } : { status: 200 });
    const { eventId } = await record();
    const detail = await settled(eventId);
    expect(detail.attempts.length).toBeGreaterThanOrEqual(1);
    conforms(detail, 'WebhookEventDetailResponse');
    for (const a of detail.attempts) conforms(a, 'WebhookAttemptResponse');
    conforms(detail.payload, 'WebhookPayloadResponse');
    conforms(detail.payload.chat, 'WebhookChatResponse');
    expect(schemas.WebhookPayloadResponse.properties.chat.anyOf).toContainEqual({ type: 'null' }); // OpenAPI 3.1: nullable is a null type

    const page = await acc.get(`/webhooks/events?channelId=${channelId}&limit=5`);
    conforms(page.body, 'WebhookEventPageResponse');
    for (const e of page.body.data) conforms(e, 'WebhookEventSummaryResponse');

    fast.reply = () => ({ status: 200 });
    const replayed = await acc.post(`/webhooks/events/${eventId}/replay`);
    expect(replayed.status).toBe(202);
    conforms(replayed.body, 'WebhookEventSummaryResponse');
    const bulk = await acc.post('/webhooks/replay', { channelId, platform: 'fast', since: new Date(Date.now() - 60_000).toISOString() });
    expect(bulk.status).toBe(202);
    conforms(bulk.body, 'WebhookBulkReplayResponse');
    expect(schemas.WebhookBulkReplayResponse.properties.eventIds).toMatchObject({ type: 'array', items: { type: 'string' } });
  });

  it('exposes delivery counters and latency in /metrics', async () => {
    const res = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${t.adminKey}` } });
    const text = await res.text();
    expect(text).toMatch(/webhook_delivery_attempts_total\{outcome="delivered"\} \d+/);
    expect(text).toMatch(/webhook_delivery_attempts_total\{outcome="retry"\} \d+/);
    expect(text).toMatch(/webhook_delivery_attempts_total\{outcome="throttled"\} \d+/);
    expect(text).toMatch(/webhook_delivery_latency_seconds_count \d+/);
    expect(text).toMatch(/webhook_delivery_attempt_duration_seconds_bucket/);
  });

  it('serves Bull Board at /queues to the admin key only', async () => {
    const anon = await fetch(`${t.baseUrl}/queues`);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect((await anon.json()).code).toBe('UNAUTHENTICATED');
    const account = await fetch(`${t.baseUrl}/queues/api/queues`, { headers: { authorization: `Bearer ${acc.key}` } });
    expect(account.status).toBe(401);
    const page = await fetch(`${t.baseUrl}/queues`, { headers: { authorization: `Bearer ${t.adminKey}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const basic = Buffer.from(`admin:${t.adminKey}`).toString('base64');
    const api = await fetch(`${t.baseUrl}/queues/api/queues`, { headers: { authorization: `Basic ${basic}` } });
    expect(api.status).toBe(200);
    const body = await api.json();
    expect(body.queues.map((q: any) => q.name)).toContain('webhooks');
  });
});
