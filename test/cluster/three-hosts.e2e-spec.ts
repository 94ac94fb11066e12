import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHosts, Host, Hosts, spawnServerIn } from '../harness/hosts';
import { ApiClient, accountClient } from '../harness/http';
import { ServerProcess } from '../harness/server-process';
import { testEnv, uniqueDatabase, TEST_ADMIN_KEY } from '../harness/test-app';
import { chromiumUnder, ensureBuilt, eventually, setupChannel } from '../whatsapp/whatsapp-helpers';

jest.setTimeout(300_000);

/** Short lease for a quick test; the failover bench (bench/failover) measures the default. */
const LEASE_TTL_MS = 5_000;
/** Lease TTL + adoption pass (TTL/4) + a sandbox browser's start with the restored link. */
const FAILOVER_BOUND_MS = LEASE_TTL_MS + LEASE_TTL_MS / 4 + 15_000;
/** LinkKeeper saves a link 10 s after READY. */
const LINK_SAVED_AFTER_MS = 12_000;

/**
 * Three server processes as three machines: each in its own network namespace with its own DATA_DIR
 * (no shared disk: the WhatsApp Web link travels through the database), sharing one store and one
 * Redis. Sessions spread over them; any process answers any command and send; a host killed outright
 * has its sessions READY elsewhere without a QR, and a process stopped with SIGTERM hands its sessions
 * over at once. Nothing queued is lost, nothing is sent twice.
 */
describe('three hosts, one cluster', () => {
  let cluster: Hosts;
  let mainJs: string;
  let env: Record<string, string>;
  const servers: (ServerProcess | undefined)[] = [];
  const dataDirs: string[] = [];
  let key: string;
  const channels: { id: string; platformConfigId: string; clientNumber: string }[] = [];
  const conversations = new Map<string, string>();
  let linkedAt = 0;

  const via = (i: number) => new ApiClient(servers[i]!.baseUrl, key);
  const admin = (i: number) => new ApiClient(servers[i]!.baseUrl, TEST_ADMIN_KEY);
  const live = () => servers.map((s, i) => (s ? i : -1)).filter((i) => i >= 0);
  const processes = async (i: number) => (await admin(i).get('/admin/cluster/processes')).body.processes as { id: string; sessions: number; self: boolean }[];
  const idOf = async (i: number) => (await processes(i)).find((p) => p.self)!.id;

  beforeAll(async () => {
    mainJs = ensureBuilt();
    cluster = await createHosts(3);
    env = testEnv(uniqueDatabase('hosts'), {
      SESSION_LEASE_TTL_MS: String(LEASE_TTL_MS),
      SESSION_RESTORE_STAGGER_MS: '0',
      SEND_MIN_INTERVAL_MS: '0',
      // One key on every machine: the stored links (and provider credentials) are encrypted with it.
      PROVIDER_CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    });
    for (const host of cluster.hosts) {
      dataDirs.push(mkdtempSync(join(tmpdir(), `omc-host${host.index}-`)));
      servers.push(await spawnServerIn(host, { ...env, DATA_DIR: dataDirs[host.index] }, { main: mainJs }));
    }
    key = (await accountClient(new ApiClient(servers[0]!.baseUrl, TEST_ADMIN_KEY), 'acc-hosts')).key!;
  });

  afterAll(async () => {
    await Promise.all(servers.filter((s): s is ServerProcess => !!s).map((s) => s.stop('SIGTERM')));
    await cluster?.destroy();
  });

  /** Where each channel's session runs, by server index, as the cluster list says. */
  async function owners(): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (const i of live()) ids.set(await idOf(i), i);
    const out = new Map<string, number>();
    for (const c of channels) {
      const status = await via(live()[0]).get(`/channels/${c.id}/session`);
      const mine = await Promise.all(live().map(async (i) => ({ i, owner: (await via(i).get(`/channels/${c.id}/session`)).body.owner })));
      const local = mine.find((m) => m.owner === 'local');
      if (status.body.state === 'READY' && local) out.set(c.id, local.i);
    }
    return out;
  }

  async function sendText(i: number, channelId: string, text: string): Promise<string> {
    const res = await via(i).post('/messages/send', { agentName: 'Atendente', sessionId: conversations.get(channelId), text, showAgentName: false });
    expect([200, 201, 202]).toContain(res.status);
    return res.body.id as string;
  }

  async function outboxBodies(channelId: string): Promise<string[]> {
    const res = await via(live()[0]).get(`/sandbox/channels/${channelId}/outbox`);
    expect(res.status).toBe(200);
    return (res.body as { kind: string; body?: string }[]).filter((e) => e.kind === 'message').map((e) => e.body ?? '');
  }

  async function waitAllSent(ids: string[], timeoutMs: number): Promise<void> {
    for (const id of ids)
      await eventually(() => via(live()[0]).get(`/messages/${id}`), (r) => r.status === 200 && ['sent', 'delivered', 'read'].includes(r.body.status), timeoutMs, `message ${id} sent`);
  }

  function killHost(host: Host): void {
    // A machine lost: its server and its browsers die at once, nothing shuts down cleanly.
    const pids = execFileSync('ip', ['netns', 'pids', host.name]).toString().split(/\s+/).filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  it('spreads new sessions over the processes, whichever process is asked', async () => {
    for (let n = 0; n < 3; n++) channels.push(await setupChannel(via(0)));
    // Every link request goes through process 0: placement, not the caller, decides where each runs.
    for (const c of channels) {
      const linked = await via(0).post(`/sandbox/channels/${c.id}/link`, {});
      expect(linked.status).toBe(200);
      expect(linked.body).toMatchObject({ state: 'READY', linked: true });
    }
    linkedAt = Date.now();
    const list = await processes(1);
    expect(list).toHaveLength(3);
    expect(list.map((p) => p.sessions).sort()).toEqual([1, 1, 1]);
    const where = await owners();
    expect(new Set(where.values()).size).toBe(3);
    // Each browser runs on its server's host (its network namespace), under that server's own DATA_DIR.
    for (const host of cluster.hosts) {
      const browsers = chromiumUnder(dataDirs[host.index]);
      expect(browsers.length).toBeGreaterThan(0);
      const hostNet = `net:[${statSync(`/run/netns/${host.name}`).ino}]`;
      for (const pid of browsers) expect(readlinkSync(`/proc/${pid}/ns/net`)).toBe(hostNet);
    }
  });

  it('answers commands and sends through every process, each reaching the session where it runs', async () => {
    for (const c of channels) {
      const started = await via(0).post('/conversations/start/whatsappweb', {
        platformConfigId: c.platformConfigId,
        channelId: c.id,
        clientProviderId: '5521977770000',
        userName: 'Cliente',
        companyName: 'Loja',
        platform: 'karoochat',
      });
      expect([200, 201]).toContain(started.status);
      conversations.set(c.id, started.body.id ?? started.body.sessionId);
    }
    const ids: string[] = [];
    for (const c of channels) {
      await via(0).delete(`/sandbox/channels/${c.id}/outbox`);
      for (const i of [0, 1, 2]) {
        // A command through each process: status, restart-free session commands, the sandbox page.
        expect((await via(i).post(`/channels/${c.id}/session/start`)).body).toMatchObject({ state: 'READY' });
        expect((await via(i).get(`/sandbox/channels/${c.id}/state`)).status).toBe(200);
        ids.push(await sendText(i, c.id, `via ${i} to ${c.id}`));
      }
    }
    await waitAllSent(ids, 60_000);
    for (const c of channels) expect((await outboxBodies(c.id)).sort()).toEqual([0, 1, 2].map((i) => `via ${i} to ${c.id}`));
  });

  it('brings the sessions of a lost host back READY elsewhere without a QR, with nothing lost or sent twice', async () => {
    const before = await owners();
    const victim = 1;
    const moved = channels.filter((c) => before.get(c.id) === victim);
    expect(moved.length).toBe(1);
    const channel = moved[0];
    // A link is stored 10 s after READY (Chromium writes it to disk a few seconds late); these are fresh.
    await new Promise((r) => setTimeout(r, Math.max(0, linkedAt + LINK_SAVED_AFTER_MS - Date.now())));
    const t0 = Date.now();
    killHost(cluster.hosts[victim]);
    servers[victim] = undefined;
    // Sends accepted while the session moves are queued, then sent once by the new owner.
    const queued = [await sendText(0, channel.id, 'during failover 1'), await sendText(2, channel.id, 'during failover 2')];
    // Until the lost process's lease runs out the stored READY is its; READY counts once a live process runs it.
    const after = await eventually(() => owners(), (o) => [0, 2].includes(o.get(channel.id) ?? -1), FAILOVER_BOUND_MS + 10_000, 'the session READY on another host');
    const failoverMs = Date.now() - t0;
    expect(failoverMs).toBeLessThan(FAILOVER_BOUND_MS);
    expect([0, 2]).toContain(after.get(channel.id));
    expect((await via(0).get(`/channels/${channel.id}/session`)).body).toMatchObject({ state: 'READY', linked: true });
    await waitAllSent(queued, 60_000);
    const bodies = await outboxBodies(channel.id);
    // The outbox of the new browser: the queued sends, each exactly once (the old page died with its host).
    expect(bodies.filter((b) => b === 'during failover 1')).toHaveLength(1);
    expect(bodies.filter((b) => b === 'during failover 2')).toHaveLength(1);
  });

  it('hands the sessions of a SIGTERMed process over at once, not after the lease TTL', async () => {
    const before = await owners();
    const leaving = 2;
    const moving = channels.filter((c) => before.get(c.id) === leaving);
    expect(moving.length).toBeGreaterThan(0);
    const t0 = Date.now();
    const exited = servers[leaving]!.stop('SIGTERM');
    servers[leaving] = undefined;
    for (const c of moving) {
      await eventually(
        async () => ({ status: (await via(0).get(`/channels/${c.id}/session`)).body, owners: await owners() }),
        (r) => r.status.state === 'READY' && r.owners.get(c.id) === 0,
        30_000,
        'the session READY on the remaining process',
      );
    }
    const handOverMs = Date.now() - t0;
    expect(await exited).toBe(0);
    // Hand-over is a stop and a start, with no lease to wait out.
    expect(handOverMs).toBeLessThan(LEASE_TTL_MS + 10_000);
    const id = await sendText(0, moving[0].id, 'after hand-over');
    await waitAllSent([id], 30_000);
    expect((await outboxBodies(moving[0].id)).filter((b) => b === 'after hand-over')).toHaveLength(1);
    await eventually(() => processes(0), (list) => list.length === 1 && list[0].sessions === channels.length, 10_000, 'one process left, running every session');
  });
});
