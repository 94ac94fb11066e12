import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer } from '../../src/database/embedded/redis-server';
import { browserRoots } from '../../src/whatsapp/engine/wwebjs/chromium-processes';
import { ApiClient } from '../harness/http';
import { freePort } from '../harness/services';
import { testEnv, uniqueDatabase } from '../harness/test-app';
import { waitFor } from '../webhooks/receiver';
import { ensureBuilt, eventually, ServerProcess, spawnServer } from '../whatsapp/whatsapp-helpers';
import { linkedChannel, SignedPlatform } from './reliability-support';

jest.setTimeout(240_000);

const LEASE_TTL_MS = 6_000;
const OUTAGE_MS = 20_000;

/** One request, timed; `status` 0 when it did not answer within `limitMs`. */
async function timed(call: () => Promise<{ status: number; body: any }>, limitMs: number): Promise<{ status: number; body: any; ms: number }> {
  const started = Date.now();
  const answer = await Promise.race([call(), new Promise<{ status: number; body: any }>((r) => setTimeout(() => r({ status: 0, body: undefined }), limitMs))]);
  return { ...answer, ms: Date.now() - started };
}

/**
 * The built server on a private redis-server that is stopped (SIGSTOP: the socket stays open and
 * nothing answers, the hardest case) for 20 s: commands answer 503 DEPENDENCY_UNAVAILABLE at once,
 * readiness says down within a second, the session's browser is closed before its lease could pass
 * to another process, and everything comes back once Redis does.
 */
describe('a Redis outage fails fast and keeps the lease rule', () => {
  let server: ServerProcess;
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let env: Record<string, string>;
  let acc: ApiClient;
  let channelId: string;
  let platformConfigId: string;
  const platform = new SignedPlatform();

  beforeAll(async () => {
    const mainJs = ensureBuilt();
    await platform.start();
    redis = await startRedisServer({ port: await freePort(), dataDir: mkdtempSync(join(tmpdir(), 'omc-redis-outage-')) });
    env = testEnv(uniqueDatabase('redisout'), {
      REDIS_URL: redis.url,
      SESSION_RESTORE_ON_BOOT: 'true',
      SESSION_LEASE_TTL_MS: String(LEASE_TTL_MS),
      SESSION_RESTORE_STAGGER_MS: '0',
      LOG_LEVEL: 'warn',
    });
    server = await spawnServer(mainJs, env);
    ({ acc, channelId, platformConfigId } = await linkedChannel(server, platform, 'acc-redisout'));
  });

  afterAll(async () => {
    const pid = redis?.process?.pid;
    if (pid) process.kill(pid, 'SIGCONT');
    await server?.stop();
    await redis?.process?.stop();
    await platform.receiver.stop();
  });

  it('answers 503 at once, reports not ready within a second, gives the session up in time, and recovers', async () => {
    const sessionsDir = `${join(env.DATA_DIR, 'sessions')}/`;
    expect(browserRoots(sessionsDir, true)).toHaveLength(1);
    const conversation = await acc.post('/conversations/start/whatsappweb', {
      platformConfigId,
      channelId,
      clientProviderId: '5521988887777',
      userName: 'Cliente',
      companyName: 'Loja',
      platform: 'p',
    });
    expect([200, 201]).toContain(conversation.status);
    const sessionId = conversation.body.id as string;
    const send = () => acc.post('/messages/send', { sessionId, agentName: 'A', text: 'during the outage' });
    expect((await send()).status).toBe(202);

    const stoppedAt = Date.now();
    process.kill(redis.process!.pid!, 'SIGSTOP');
    // Readiness: down within a second of the outage, and every answer itself fast.
    const down = await waitFor(
      'readiness down',
      async () => {
        const r = await timed(() => acc.get('/health/ready'), 1_000);
        return r.status === 503 ? { ...r, sinceOutageMs: Date.now() - stoppedAt } : undefined;
      },
      5_000,
      50,
    );
    expect(down.sinceOutageMs).toBeLessThan(1_500);
    expect(down.ms).toBeLessThan(1_000);

    // Commands: 503 with a stable code, fast, for the whole outage.
    const sends = [];
    for (let i = 0; i < 3; i++) {
      sends.push(await timed(send, 5_000));
      await new Promise((r) => setTimeout(r, 1_000));
    }
    for (const s of sends) {
      expect(s.status).toBe(503);
      expect(s.body.code).toBe('DEPENDENCY_UNAVAILABLE');
      expect(s.ms).toBeLessThan(1_000);
    }

    // The lease rule by the clock: the browser is closed before the TTL ran out.
    const givenUp = await waitFor('browser closed', () => (browserRoots(sessionsDir, true).length === 0 ? Date.now() - stoppedAt : undefined), LEASE_TTL_MS * 2, 100);
    expect(givenUp).toBeLessThan(LEASE_TTL_MS);

    const left = OUTAGE_MS - (Date.now() - stoppedAt);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
    process.kill(redis.process!.pid!, 'SIGCONT');
    const resumedAt = Date.now();

    // Recovery: ready again, the session adopted back, sends accepted.
    await waitFor('readiness up', async () => (await acc.get('/health/ready')).status === 200, 15_000, 100);
    await eventually(() => acc.get(`/channels/${channelId}/session`), (r) => r.body.state === 'READY' && r.body.owner === 'local', 60_000, 'session READY again');
    const readyAgainMs = Date.now() - resumedAt;
    const after = await send();
    expect(after.status).toBe(202);
    console.log('Redis outage', { readinessDownAfterMs: down.sinceOutageMs, sendAnswerMs: sends.map((s) => s.ms), browserClosedAfterMs: givenUp, readyAgainAfterResumeMs: readyAgainMs });
  });
});
