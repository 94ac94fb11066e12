import mongoose from 'mongoose';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPortOpen } from '../../src/database/embedded/process-utils';
import { startRedisServer } from '../../src/database/embedded/redis-server';
import { ApiClient, accountClient } from '../harness/http';
import { freePort } from '../harness/services';
import { testEnv, uniqueDatabase, TEST_ADMIN_KEY } from '../harness/test-app';
import { ensureBuilt, eventually, nextNumber, ServerProcess, spawnServer } from '../whatsapp/whatsapp-helpers';
import { Auditor } from './fault-support';
import { waitFor, WebhookReceiver } from './receiver';

jest.setTimeout(300_000);

const TOTAL = 1_000;
const KILL_AFTER = 400;
const CHATS = 20;

/**
 * The built server as a real process, inbound messages through the sandbox (the real
 * whatsapp-web.js client in Chromium): the server is SIGKILLed in the middle of a burst of
 * 1,000 messages and restarted, then its Redis (AOF on) is killed and restarted during another
 * burst. Each ends with every stored message delivered at least once, duplicates carrying the
 * same webhook-id. Events are journaled (Redis) in batches as they arrive, so what the killed
 * process loses is only what WhatsApp Web had handed over within the last journal write (a few
 * messages at most: the test counts them and bounds them); its journal is adopted and applied.
 */
describe('webhook delivery through process and Redis failures', () => {
  let mainJs: string;
  let env: Record<string, string>;
  let redisPort: number;
  let redisDir: string;
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let server: ServerProcess | undefined;
  let acc: ApiClient;
  let channelId: string;
  const receiver = new WebhookReceiver();
  const auditor = new Auditor(receiver);
  let db: mongoose.Connection;
  let sent = 0;

  beforeAll(async () => {
    mainJs = ensureBuilt();
    await receiver.start();
    auditor.serve(() => ({ status: 200 }));
    redisPort = await freePort();
    redisDir = mkdtempSync(join(tmpdir(), 'omc-redis-aof-'));
    redis = await startRedisServer({ port: redisPort, dataDir: redisDir });
    env = testEnv(uniqueDatabase('whproc'), {
      REDIS_URL: redis.url,
      SESSION_RESTORE_ON_BOOT: 'true',
      SESSION_LEASE_TTL_MS: '6000',
      SESSION_RESTORE_STAGGER_MS: '0',
      WEBHOOK_RETRY_DELAYS_MS: '0,500,1000,2000,4000,8000,16000,30000',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_SWEEP_INTERVAL_MS: '2000',
      LOG_LEVEL: 'warn',
    });
    server = await spawnServer(mainJs, env);
    acc = await accountClient(new ApiClient(server.baseUrl, TEST_ADMIN_KEY), 'acc-whproc');
    const res = await acc.post('/channels/setup/whatsappweb', {
      provider: { clientNumber: nextNumber(), companyId: 'c1' },
      startingPlatform: 'p',
      platforms: [{ slug: 'p', callbackUrl: `${receiver.url}/hook` }],
    });
    expect(res.status).toBe(201);
    channelId = res.body.id;
    expect((await acc.post(`/sandbox/channels/${channelId}/link`, {})).body.state).toBe('READY');
    db = await mongoose.createConnection(env.MONGODB_URI).asPromise();
  });

  afterAll(async () => {
    await db?.close();
    await server?.stop();
    await redis.process?.stop();
    await receiver.stop();
  });

  /** Inbound messages through the sandbox, 4 at a time, until `count` were accepted or `stop()` says so. */
  async function inject(count: number, stop: (accepted: number) => boolean = () => false): Promise<{ accepted: string[]; failed: number }> {
    const accepted: string[] = [];
    let failed = 0;
    let issued = 0;
    const client = acc;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (issued < count && !stop(accepted.length)) {
          const i = sent++;
          issued++;
          try {
            const res = await client.post(`/sandbox/channels/${channelId}/inbound`, { from: `55219666${String(50_000 + (i % CHATS))}`, text: `burst ${i}` });
            if (res.status === 201) accepted.push(res.body.messageId);
            else failed++;
          } catch {
            failed++;
          }
        }
      }),
    );
    return { accepted, failed };
  }

  async function storedInbound(): Promise<string[]> {
    const docs = await db.collection('messages').find({ channelId, direction: 'inbound' }, { projection: { waMessageId: 1 } }).toArray();
    return docs.map((d) => String(d.waMessageId));
  }

  /** Waits until every stored inbound message (and every one in `also`) was acknowledged by the platform. */
  async function everythingDelivered(also: string[], timeoutMs: number): Promise<string[]> {
    let stored: string[] = [];
    await waitFor(
      'every stored message delivered',
      async () => {
        stored = await storedInbound();
        return also.every((id) => stored.includes(id)) && stored.every((id) => auditor.audit.acknowledged.has(id));
      },
      timeoutMs,
      500,
    ).catch((err: Error) => {
      const undelivered = stored.filter((id) => !auditor.audit.acknowledged.has(id));
      const unstored = also.filter((id) => !stored.includes(id));
      throw new Error(`${err.message}: ${undelivered.length} stored but undelivered, ${unstored.length} accepted but unstored`);
    });
    return stored;
  }

  it('survives SIGKILL in the middle of a burst of 1,000 inbound messages', async () => {
    const started = Date.now();
    const before = await inject(TOTAL, (accepted) => {
      if (accepted >= KILL_AFTER && server) {
        void server.kill();
        server = undefined;
      }
      return !server;
    });
    const killedAt = Date.now();
    const storedAtKill = await storedInbound();

    server = await spawnServer(mainJs, env);
    acc = new ApiClient(server.baseUrl, acc.key);
    await eventually(() => acc.get(`/channels/${channelId}/session`), (r) => r.body.state === 'READY' && r.body.owner === 'local', 60_000, 'session adopted');
    const restartedAt = Date.now();

    const after = await inject(TOTAL - before.accepted.length);
    expect(after.failed).toBe(0);
    await everythingDelivered(after.accepted, 150_000);
    // The killed process's journal is adopted once its "alive" key expires (10 s), then applied.
    let stored: string[] = [];
    await waitFor(
      'the journal of the killed process applied and delivered',
      async () => {
        stored = await storedInbound();
        const missing = before.accepted.filter((id) => !stored.includes(id)).length;
        return missing <= 20 && stored.every((id) => auditor.audit.acknowledged.has(id));
      },
      60_000,
      500,
    ).catch(() => undefined);

    const lostBeforeStore = before.accepted.filter((id) => !stored.includes(id));
    const dup = auditor.duplicates();
    const report = {
      acceptedBeforeKill: before.accepted.length,
      storedWhenKilled: storedAtKill.length,
      acceptedAfterRestart: after.accepted.length,
      stored: stored.length,
      deliveredAtLeastOnce: stored.filter((id) => auditor.audit.acknowledged.has(id)).length,
      acceptedButNeverStored: lostBeforeStore.length,
      ...dup,
      secondsToKill: (killedAt - started) / 1000,
      secondsToRestart: (restartedAt - killedAt) / 1000,
      secondsTotal: (Date.now() - started) / 1000,
    };
    console.log('SIGKILL mid-burst', report);
    expect(dup.idsPerMessage).toEqual([1]);
    // Only what was in flight at the kill: never the backlog of a burst.
    expect(lostBeforeStore.length).toBeLessThanOrEqual(20);
    for (const id of stored) expect(auditor.audit.acknowledged.has(id)).toBe(true);
    expect(stored.length).toBeGreaterThanOrEqual(storedAtKill.length + after.accepted.length);
    // Nothing the platform got is unknown to the store. Deliveries go on after `stored` was read (the
    // journal replay is still delivering): take what was acknowledged first, then read the store; a
    // message is stored before its webhook goes out, so everything acknowledged by then is in that read.
    const acknowledgedNow = [...auditor.audit.acknowledged];
    const storedNow = await storedInbound();
    for (const id of acknowledgedNow) expect(storedNow).toContain(id);
  });

  it('survives a Redis restart (AOF, killed hard) during a burst', async () => {
    const burst = 300;
    let restarted: Promise<void> | undefined;
    const restart = async () => {
      process.kill(redis.process!.pid!, 'SIGKILL');
      await waitFor('redis down', async () => !(await isPortOpen(redisPort)), 5_000);
      await new Promise((r) => setTimeout(r, 500));
      redis = await startRedisServer({ port: redisPort, dataDir: redisDir });
    };
    const run = await inject(burst, (accepted) => {
      if (accepted >= burst / 3 && !restarted) restarted = restart();
      return false;
    });
    await restarted;
    const stored = await everythingDelivered(run.accepted, 120_000);
    const dup = auditor.duplicates();
    console.log('Redis restart mid-burst', { accepted: run.accepted.length, failedCalls: run.failed, stored: stored.length, ...dup });
    expect(dup.idsPerMessage).toEqual([1]);
    // The sandbox takes messages even while Redis is down; each accepted one was stored and delivered.
    expect(run.accepted.length).toBeGreaterThan(burst / 2);
  });
});
