import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserRoots, processTree } from '../../src/whatsapp/engine/wwebjs/chromium-processes';
import { ApiClient, accountClient } from '../harness/http';
import { testEnv, uniqueDatabase, TEST_ADMIN_KEY } from '../harness/test-app';
import { chromiumUnder, ensureBuilt, eventually, ServerProcess, setupChannel, spawnServer, waitForState } from './whatsapp-helpers';

jest.setTimeout(180_000);

/**
 * The built server as real processes sharing one MongoDB and Redis: a linked channel survives
 * restarts without a scan, a killed browser recovers, a second process never runs a session
 * the first owns, a killed process's sessions are adopted, and no Chromium outlives a shutdown.
 */
describe('WhatsApp sessions across server processes', () => {
  let mainJs: string;
  let env: Record<string, string>;
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;
  let acc: ApiClient;
  let channel: { id: string; clientNumber: string };
  let idle: { id: string };
  const dataDir = () => env.DATA_DIR;

  const client = (server: ServerProcess) => new ApiClient(server.baseUrl, acc.key);

  beforeAll(async () => {
    mainJs = ensureBuilt();
    env = testEnv(uniqueDatabase('waproc'), {
      SESSION_RESTORE_ON_BOOT: 'true',
      SESSION_LEASE_TTL_MS: '3000',
      SESSION_RESTORE_STAGGER_MS: '0',
    });
    a = await spawnServer(mainJs, env);
    acc = await accountClient(new ApiClient(a.baseUrl, TEST_ADMIN_KEY), 'acc-proc');
  });

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    expect(chromiumUnder(dataDir())).toEqual([]);
  });

  it('restores a linked channel after a restart, without a new scan; shutdown leaves no Chromium', async () => {
    channel = await setupChannel(acc);
    idle = await setupChannel(acc);
    const linked = await acc.post(`/sandbox/channels/${channel.id}/link`, {});
    expect(linked.body).toMatchObject({ state: 'READY', linked: true });
    expect(chromiumUnder(dataDir()).length).toBeGreaterThan(0);

    expect(await a!.stop()).toBe(0);
    expect(chromiumUnder(dataDir())).toEqual([]);

    a = await spawnServer(mainJs, env);
    acc = client(a);
    const restored = await waitForState(acc, channel.id, 'READY', 30_000);
    expect(restored).toMatchObject({ me: `${channel.clientNumber}@c.us`, linked: true, owner: 'local' });
    // A channel that was never linked is not started at boot.
    expect((await acc.get(`/channels/${idle.id}/session`)).body).toMatchObject({ state: 'STOPPED', linked: false });
    expect(a.output()).not.toMatch(/Unhandled promise rejection/);
  });

  it('recovers when the session’s browser is killed', async () => {
    const before = browserRoots(join(dataDir(), 'sessions', channel.id, 'session'));
    expect(before).toHaveLength(1);
    for (const p of processTree(before[0].pid)) process.kill(p.pid, 'SIGKILL');
    const lost = await waitForState(acc, channel.id, ['DISCONNECTED', 'STARTING', 'AUTHENTICATED'], 10_000);
    expect(['BROWSER_CRASHED', 'RESTARTING', 'AUTHENTICATED']).toContain(lost.reason);
    const back = await waitForState(acc, channel.id, 'READY', 30_000);
    expect(back.linked).toBe(true);
    const after = browserRoots(join(dataDir(), 'sessions', channel.id, 'session'));
    expect(after).toHaveLength(1);
    expect(after[0].pid).not.toBe(before[0].pid);
  });

  it('never runs a session in a second process sharing MongoDB and Redis, and forwards commands through it to the owner', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'omc-app-b-'));
    b = await spawnServer(mainJs, { ...env, DATA_DIR: otherDir });
    const viaB = new ApiClient(b.baseUrl, acc.key);
    // B restores at boot and looks for orphans every quarter TTL: give it several rounds.
    await new Promise((r) => setTimeout(r, 4_000));
    expect(chromiumUnder(otherDir)).toEqual([]);
    const status = await viaB.get(`/channels/${channel.id}/session`);
    expect(status.body).toMatchObject({ state: 'READY', owner: 'remote' });
    // Commands through B run in A, the owner, and answer as A does.
    const start = await viaB.post(`/channels/${channel.id}/session/start`);
    expect(start.status).toBe(200);
    expect(start.body).toMatchObject({ state: 'READY', owner: 'remote' });
    const inbound = await viaB.post(`/sandbox/channels/${channel.id}/inbound`, { from: '5521988887777', text: 'x' });
    expect(inbound.status).toBe(201);
    expect(inbound.body.messageId).toEqual(expect.any(String));
    const page = await viaB.get(`/sandbox/channels/${channel.id}/state`);
    expect(page.status).toBe(200);
    // Still exactly one browser for the account, in A.
    expect(browserRoots(join(dataDir(), 'sessions', channel.id, 'session'))).toHaveLength(1);
    expect(chromiumUnder(otherDir)).toEqual([]);
    expect(await b.stop()).toBe(0);
    b = undefined;
    expect(chromiumUnder(otherDir)).toEqual([]);
  });

  it('adopts the sessions of a server killed hard, clearing the browser it left behind', async () => {
    await a!.kill();
    const stale = chromiumUnder(dataDir());
    expect(stale.length).toBeGreaterThan(0); // SIGKILL leaves Chromium running
    a = await spawnServer(mainJs, env);
    acc = client(a);
    // Until the dead process's lease expires (3 s) the stored READY is reported as the dead owner's;
    // then the new process adopts the session.
    const back = await eventually(() => acc.get(`/channels/${channel.id}/session`), (r) => r.body.state === 'READY' && r.body.owner === 'local', 40_000, 'adoption');
    expect(back.body.linked).toBe(true);
    const now = chromiumUnder(dataDir());
    expect(now.filter((pid) => stale.includes(pid))).toEqual([]);
  });

  it('stops and logs out leaving no Chromium process', async () => {
    expect((await acc.post(`/channels/${channel.id}/session/stop`)).body.state).toBe('STOPPED');
    expect(chromiumUnder(dataDir())).toEqual([]);
    await acc.post(`/channels/${channel.id}/session/start`);
    await waitForState(acc, channel.id, 'READY', 30_000);
    expect((await acc.post(`/channels/${channel.id}/session/logout`)).body.state).toBe('LOGGED_OUT');
    expect(chromiumUnder(dataDir())).toEqual([]);
    await eventually(async () => a!.output(), (o) => !/Unhandled promise rejection/.test(o), 1_000, 'no unhandled rejection');
  });
});
