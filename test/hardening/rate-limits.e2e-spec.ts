import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '../../src/database/embedded/redis-server';
import { ApiClient, accountClient, JsonResponse } from '../harness/http';
import { freePort } from '../harness/services';
import { startTestApp, testEnv, TestApp, TEST_ADMIN_KEY, uniqueDatabase } from '../harness/test-app';
import { ensureBuilt, ServerProcess, spawnServer } from '../whatsapp/whatsapp-helpers';

jest.setTimeout(180_000);

/** Small budgets so a test can spend them: 5 calls per key, 3 per IP without a key, per minute. */
const LIMITS = { RATE_LIMIT_PER_KEY: '5', RATE_LIMIT_ANONYMOUS: '3', RATE_LIMIT_WINDOW_MS: '60000' };

function expectRateLimited(res: JsonResponse): void {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', requestId: expect.any(String) });
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe('hardening: rate limits (one server)', () => {
  let t: TestApp;
  let admin: ApiClient;
  let anon: ApiClient;

  beforeAll(async () => {
    t = await startTestApp('ratelimit', LIMITS);
    admin = new ApiClient(t.baseUrl, t.adminKey);
    anon = admin.withKey(undefined);
  });
  afterAll(() => t.close());

  it('answers 429 RATE_LIMITED with Retry-After once a key spends its budget; another key is unaffected', async () => {
    const a = await accountClient(admin, 'acc-rl-a');
    const b = await accountClient(admin, 'acc-rl-b');
    for (let i = 0; i < 5; i++) {
      const res = await a.get('/me');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('5');
      expect(res.headers.get('x-ratelimit-remaining')).toBe(String(4 - i));
    }
    expectRateLimited(await a.get('/me'));
    // The budget is the key's, across routes, not one per route.
    expectRateLimited(await a.get('/channels'));
    expect((await b.get('/me')).status).toBe(200);
  });

  it('gives requests without a valid key a separate, stricter budget per IP, counting wrong keys too', async () => {
    // Three calls: a missing key, a wrong key, and a public route, all from this IP.
    const first = await anon.get('/me');
    expect(first.status).toBe(401);
    expect(first.headers.get('x-ratelimit-limit')).toBe('3');
    expect((await anon.withKey('omk_not-a-real-key').get('/me')).status).toBe(401);
    expect([400, 401, 404]).toContain((await anon.get('/onboarding/not-a-token/status')).status);
    const fourth = await anon.withKey('omk_another-guess').get('/me');
    expectRateLimited(fourth);
    // Keys keep their own budgets: a fresh key still gets all five.
    const c = await accountClient(admin, 'acc-rl-c');
    for (let i = 0; i < 5; i++) expect((await c.get('/me')).status).toBe(200);
  });

  it('never limits the health probes', async () => {
    // The anonymous budget of this IP is spent by the previous test (60 s window).
    expectRateLimited(await anon.get('/me'));
    for (let i = 0; i < 10; i++) {
      expect((await anon.get('/health')).status).toBe(200);
      expect((await anon.get('/health/ready')).status).toBe(200);
    }
  });
});

describe('hardening: rate limits (two server processes on one Redis)', () => {
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    const mainJs = ensureBuilt();
    const env = testEnv(uniqueDatabase('rlproc'), { ...LIMITS, RATE_LIMIT_PER_KEY: '6', LOG_LEVEL: 'warn' });
    for (let i = 0; i < 2; i++) servers.push(await spawnServer(mainJs, env));
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });

  it('shares one budget per key: calls through either process draw from it', async () => {
    const key = (await accountClient(new ApiClient(servers[0].baseUrl, TEST_ADMIN_KEY), 'acc-rl-proc')).key!;
    const [first, second] = servers.map((s) => new ApiClient(s.baseUrl, key));
    // Six calls split over both processes: each process alone would allow six more.
    for (let i = 0; i < 3; i++) {
      expect((await first.get('/me')).status).toBe(200);
      expect((await second.get('/me')).status).toBe(200);
    }
    expectRateLimited(await second.get('/me'));
    expectRateLimited(await first.get('/me'));
  });
});

describe('hardening: rate limits while Redis does not answer', () => {
  let t: TestApp;
  let redis: Awaited<ReturnType<typeof startRedisServer>>;

  beforeAll(async () => {
    redis = await startRedisServer({ port: await freePort(), dataDir: mkdtempSync(join(tmpdir(), 'omc-rl-redis-')) });
    t = await startTestApp('rlredis', { ...LIMITS, RATE_LIMIT_PER_KEY: '2', REDIS_URL: redis.url });
  });
  afterAll(async () => {
    if (redis?.process?.pid) process.kill(redis.process.pid, 'SIGCONT');
    await t?.close();
    await redis?.process?.stop();
  });

  it('fails open without delay (requests pass uncounted), and counts again once Redis is back', async () => {
    const acc = await accountClient(new ApiClient(t.baseUrl, t.adminKey), 'acc-rl-redis');
    for (let i = 0; i < 2; i++) expect((await acc.get('/me')).status).toBe(200);
    expectRateLimited(await acc.get('/me'));

    // SIGSTOP: the socket stays open and nothing answers, the hardest case for a client.
    process.kill(redis.process!.pid!, 'SIGSTOP');
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const res = await acc.get('/me');
      expect(res.status).toBe(200);
      // Never the 2 s command timeout: at most the limiter's own 250 ms bound, once.
      expect(Date.now() - started).toBeLessThan(1_000);
    }

    process.kill(redis.process!.pid!, 'SIGCONT');
    // The window still runs in Redis: once it answers again the spent budget is enforced again.
    const end = Date.now() + 10_000;
    let last: JsonResponse | undefined;
    while (Date.now() < end && (last = await acc.get('/me')).status !== 429) await new Promise((r) => setTimeout(r, 100));
    expectRateLimited(last!);
  });
});
