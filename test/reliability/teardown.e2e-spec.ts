import mongoose from 'mongoose';
import { join } from 'node:path';
import { browserRoots } from '../../src/whatsapp/engine/wwebjs/chromium-processes';
import { ApiClient } from '../harness/http';
import { testEnv, TEST_ADMIN_KEY, uniqueDatabase } from '../harness/test-app';
import { waitFor } from '../webhooks/receiver';
import { ensureBuilt, eventually, ServerProcess, spawnServer } from '../whatsapp/whatsapp-helpers';
import { burst, keepAliveTraffic, linkedChannel, SignedPlatform, storedInbound } from './reliability-support';

jest.setTimeout(300_000);

const BURST = 200;
/** SIGTERM under load must end the process well before the 45 s force exit. */
const SHUTDOWN_BOUND_MS = 30_000;

/**
 * The built server as real processes (sandbox engine: whatsapp-web.js in Chromium), a signed
 * receiver as the platform. A session restarted, and a server stopped with SIGTERM, in the middle
 * of an inbound burst lose no message WhatsApp Web handed over; SIGTERM with clients holding
 * keep-alive connections exits 0 in time and every final event arrives; a SIGKILLed server's
 * browser is replaced, not doubled, and a clean stop leaves none.
 */
describe('teardown loses nothing', () => {
  let mainJs: string;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  let acc: ApiClient;
  let channelId: string;
  let db: mongoose.Connection;
  const platform = new SignedPlatform();
  const sessionsDir = () => `${join(env.DATA_DIR, 'sessions')}/`;

  async function spawn(): Promise<ServerProcess> {
    server = await spawnServer(mainJs, env);
    acc = new ApiClient(server.baseUrl, acc?.key ?? TEST_ADMIN_KEY);
    return server;
  }

  async function ready(timeoutMs = 90_000): Promise<number> {
    const started = Date.now();
    await eventually(() => acc.get(`/channels/${channelId}/session`), (r) => r.body.state === 'READY' && r.body.owner === 'local', timeoutMs, 'session READY');
    return Date.now() - started;
  }

  /** Every accepted message is stored and acknowledged by the platform; returns how many were not. */
  async function allStoredAndDelivered(accepted: string[], timeoutMs: number): Promise<{ unstored: string[]; undelivered: string[] }> {
    let unstored: string[] = accepted;
    let undelivered: string[] = accepted;
    await waitFor(
      'accepted messages stored and delivered',
      async () => {
        const stored = await storedInbound(db, channelId);
        unstored = accepted.filter((id) => !stored.has(id));
        undelivered = accepted.filter((id) => !platform.auditor.audit.acknowledged.has(id));
        return unstored.length === 0 && undelivered.length === 0;
      },
      timeoutMs,
      500,
    ).catch(() => undefined);
    return { unstored, undelivered };
  }

  beforeAll(async () => {
    mainJs = ensureBuilt();
    await platform.start();
    env = testEnv(uniqueDatabase('teardown'), {
      SESSION_RESTORE_ON_BOOT: 'true',
      SESSION_LEASE_TTL_MS: '6000',
      SESSION_RESTORE_STAGGER_MS: '0',
      WEBHOOK_RETRY_DELAYS_MS: '0,500,1000,2000,4000,8000',
      WEBHOOK_SWEEP_INTERVAL_MS: '2000',
      LOG_LEVEL: 'warn',
    });
    await spawn();
    ({ acc, channelId } = await linkedChannel(server!, platform, 'acc-teardown'));
    db = await mongoose.createConnection(env.MONGODB_URI).asPromise();
  });

  afterAll(async () => {
    await db?.close();
    await server?.stop();
    await platform.receiver.stop();
  });

  it('a session restarted in the middle of an inbound burst loses no message', async () => {
    let restart: Promise<unknown> | undefined;
    const run = await burst(
      () => acc,
      () => channelId,
      BURST,
      (n) => {
        if (n >= Math.floor(BURST / 3) && !restart) restart = acc.post(`/channels/${channelId}/session/restart`, {});
      },
    );
    expect(((await restart) as { status: number }).status).toBe(200);
    const { unstored, undelivered } = await allStoredAndDelivered(run.accepted, 90_000);
    console.log('restart mid-burst', { accepted: run.accepted.length, refusedDuringRestart: run.refused, lost: unstored.length, undelivered: undelivered.length });
    expect(run.accepted.length).toBeGreaterThanOrEqual(BURST);
    expect(unstored).toEqual([]);
    expect(undelivered).toEqual([]);
    expect(platform.badSignatures).toEqual([]);
  });

  it('a session stopped in the middle of an inbound burst loses no message', async () => {
    let stop: Promise<{ status: number }> | undefined;
    let stopped = false;
    const run = await burst(
      () => acc,
      () => channelId,
      BURST,
      (n) => {
        if (n >= BURST / 4 && !stop) stop = acc.post(`/channels/${channelId}/session/stop`, {}).finally(() => (stopped = true));
      },
      () => stopped,
    );
    expect((await stop!).status).toBe(200);
    const { unstored, undelivered } = await allStoredAndDelivered(run.accepted, 90_000);
    console.log('stop mid-burst', { accepted: run.accepted.length, lost: unstored.length, undelivered: undelivered.length });
    expect(run.accepted.length).toBeGreaterThanOrEqual(BURST / 4);
    expect(unstored).toEqual([]);
    expect(undelivered).toEqual([]);
    expect((await acc.post(`/channels/${channelId}/session/start`, {})).status).toBeLessThan(300);
    await ready();
  });

  it('SIGTERM under keep-alive traffic and an inbound burst exits 0 in time; nothing is lost and the final events arrive', async () => {
    const traffic = keepAliveTraffic(server!.baseUrl, `/channels/${channelId}/session`, acc.key!);
    let exit: Promise<number | null> | undefined;
    let signalledAt = 0;
    const victim = server!;
    const run = await burst(
      () => acc,
      () => channelId,
      BURST,
      (n) => {
        if (n >= BURST / 2 && !exit) {
          signalledAt = Date.now();
          exit = victim.stop();
        }
      },
      () => exit !== undefined,
    );
    const code = await Promise.race([exit!, new Promise<string>((r) => setTimeout(() => r('still running'), SHUTDOWN_BOUND_MS))]);
    const shutdownMs = Date.now() - signalledAt;
    const load = await traffic.stop();
    const output = victim.output();
    expect(code).toBe(0);
    expect(shutdownMs).toBeLessThan(SHUTDOWN_BOUND_MS);
    // Nothing kept retrying against the closed database.
    expect(output).not.toMatch(/MongoNotConnectedError|MongoClientClosedError|Client must be connected/);

    const restartedAt = Date.now();
    await spawn();
    await ready();
    // From launching the new process to its session READY again (restored from the stored link).
    const readyMs = Date.now() - restartedAt;
    const { unstored, undelivered } = await allStoredAndDelivered(run.accepted, 90_000);
    // The final session.status of the stopped server (STOPPED, SHUTDOWN) arrived, signed.
    const finals = await waitFor(
      'the final STOPPED webhook',
      () => {
        const stopped = platform.events('session.status').filter((e) => e.data.state === 'STOPPED' && e.data.reason === 'SHUTDOWN');
        return stopped.length > 0 ? stopped : undefined;
      },
      30_000,
      200,
    ).catch(() => []);
    console.log('SIGTERM mid-burst', { shutdownMs, readyMsAfterRestart: readyMs, keepAliveAnswered: load.answered, accepted: run.accepted.length, lost: unstored.length, undelivered: undelivered.length });
    expect(unstored).toEqual([]);
    expect(undelivered).toEqual([]);
    expect(finals.length).toBeGreaterThan(0);
    expect(platform.badSignatures).toEqual([]);
  });

  it('SIGKILL and restart leave exactly one Chromium for the session; a clean stop leaves none', async () => {
    await server!.kill();
    expect(browserRoots(sessionsDir(), true)).toHaveLength(1); // the dead server's browser survives it
    await spawn();
    await ready();
    expect(browserRoots(sessionsDir(), true)).toHaveLength(1);
    expect(await server!.stop()).toBe(0);
    expect(browserRoots(sessionsDir(), true)).toHaveLength(0);
    server = undefined;
  });
});
