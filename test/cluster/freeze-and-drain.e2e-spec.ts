import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHosts, Hosts, spawnServerIn } from '../harness/hosts';
import { ApiClient, accountClient } from '../harness/http';
import { ServerProcess } from '../harness/server-process';
import { testEnv, uniqueDatabase, TEST_ADMIN_KEY } from '../harness/test-app';
import { chromiumUnder, ensureBuilt, eventually, setupChannel } from '../whatsapp/whatsapp-helpers';

jest.setTimeout(240_000);

const LEASE_TTL_MS = 5_000;
/** LinkKeeper saves a link 10 s after READY. */
const LINK_SAVED_AFTER_MS = 12_000;

/**
 * Two hosts. An owner frozen past its lease (SIGSTOP: a GC pause, a stalled VM) loses the session to the
 * other host; when it resumes it stops everything it ran for it (browser, send worker) at once, and the
 * sends queued meanwhile go out once, through the new owner. An operator drains a process through the
 * other one: its sessions move, it takes no new ones until resumed.
 */
describe('a frozen owner, and drain', () => {
  let cluster: Hosts;
  let env: Record<string, string>;
  const servers: ServerProcess[] = [];
  const dataDirs: string[] = [];
  let key: string;
  let channel: { id: string; platformConfigId: string; clientNumber: string };
  let conversationId: string;

  const via = (i: number) => new ApiClient(servers[i].baseUrl, key);
  const admin = (i: number) => new ApiClient(servers[i].baseUrl, TEST_ADMIN_KEY);
  const processes = async (i: number) =>
    (await admin(i).get('/admin/cluster/processes')).body.processes as { id: string; sessions: number; self: boolean; draining: boolean; credentialsKeyId?: string }[];
  const selfId = async (i: number) => (await processes(i)).find((p) => p.self)!.id;
  const ownerIndex = async (): Promise<number | undefined> => {
    for (const i of [0, 1]) if ((await via(i).get(`/channels/${channel.id}/session`)).body.owner === 'local') return i;
    return undefined;
  };

  async function send(i: number, text: string): Promise<string> {
    const res = await via(i).post('/messages/send', { agentName: 'Atendente', sessionId: conversationId, text, showAgentName: false });
    expect([200, 201, 202]).toContain(res.status);
    return res.body.id as string;
  }

  async function sentOnce(ids: string[], texts: string[]): Promise<void> {
    for (const id of ids)
      await eventually(() => via(0).get(`/messages/${id}`), (r) => ['sent', 'delivered', 'read'].includes(r.body.status), 90_000, `message ${id} sent`);
    const outbox = (await via(0).get(`/sandbox/channels/${channel.id}/outbox`)).body as { kind: string; body?: string }[];
    for (const text of texts) expect(outbox.filter((e) => e.kind === 'message' && e.body === text)).toHaveLength(1);
  }

  beforeAll(async () => {
    const mainJs = ensureBuilt();
    cluster = await createHosts(2);
    env = testEnv(uniqueDatabase('freeze'), {
      SESSION_LEASE_TTL_MS: String(LEASE_TTL_MS),
      SEND_MIN_INTERVAL_MS: '0',
      PROVIDER_CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    });
    for (const host of cluster.hosts) {
      dataDirs.push(mkdtempSync(join(tmpdir(), `omc-frz${host.index}-`)));
      servers.push(await spawnServerIn(host, { ...env, DATA_DIR: dataDirs[host.index] }, { main: mainJs }));
    }
    key = (await accountClient(admin(0), 'acc-freeze')).key!;
    channel = await setupChannel(via(0));
    expect((await via(0).post(`/sandbox/channels/${channel.id}/link`, {})).body).toMatchObject({ state: 'READY' });
    const started = await via(0).post('/conversations/start/whatsappweb', {
      platformConfigId: channel.platformConfigId,
      channelId: channel.id,
      clientProviderId: '5521977771111',
      userName: 'Cliente',
      companyName: 'Loja',
      platform: 'karoochat',
    });
    conversationId = started.body.id;
    await new Promise((r) => setTimeout(r, LINK_SAVED_AFTER_MS));
  });

  afterAll(async () => {
    for (const s of servers) if (s.child.signalCode === null && s.child.exitCode === null) process.kill(s.child.pid!, 'SIGCONT');
    await Promise.all(servers.map((s) => s.stop('SIGTERM')));
    await cluster?.destroy();
  });

  it('a frozen owner loses the session to the other host and, once resumed, stops its browser and send worker at once', async () => {
    const frozen = (await ownerIndex())!;
    const other = 1 - frozen;
    process.kill(servers[frozen].child.pid!, 'SIGSTOP');
    try {
      const during = [await send(other, 'while frozen 1'), await send(other, 'while frozen 2')];
      await eventually(async () => (await via(other).get(`/channels/${channel.id}/session`)).body, (b) => b.state === 'READY' && b.owner === 'local', LEASE_TTL_MS + 25_000, 'adopted by the other host');
      // Both browsers run now (the frozen one cannot know yet): the resumed process must give its up.
      expect(chromiumUnder(dataDirs[frozen]).length).toBeGreaterThan(0);
      process.kill(servers[frozen].child.pid!, 'SIGCONT');
      await eventually(async () => chromiumUnder(dataDirs[frozen]), (pids) => pids.length === 0, 15_000, 'the resumed process closing its browser');
      const list = await eventually(() => processes(other), (l) => l.length === 2 && l.every((p) => p.sessions === (p.self ? 1 : 0)), 15_000, 'one session, on the new owner');
      expect(list).toHaveLength(2);
      await sentOnce(during, ['while frozen 1', 'while frozen 2']);
      // Through the resumed process too: it forwards and enqueues; the new owner sends.
      const after = await send(frozen, 'after resume');
      await sentOnce([after], ['after resume']);
      expect((await via(frozen).get(`/channels/${channel.id}/session`)).body).toMatchObject({ state: 'READY', owner: 'remote' });
    } finally {
      process.kill(servers[frozen].child.pid!, 'SIGCONT');
    }
  });

  it('drains a process through the other one: its sessions move, it takes none until resumed', async () => {
    const owner = (await ownerIndex())!;
    const other = 1 - owner;
    const id = await selfId(owner);
    const drained = await admin(other).post(`/admin/cluster/processes/${encodeURIComponent(id)}/drain`);
    expect(drained.status).toBe(200);
    expect(drained.body).toEqual({ id, handedOver: 1 });
    await eventually(async () => (await via(other).get(`/channels/${channel.id}/session`)).body, (b) => b.state === 'READY' && b.owner === 'local', 30_000, 'READY on the other process');
    expect((await processes(owner)).find((p) => p.id === id)).toMatchObject({ draining: true, sessions: 0 });
    // A restart of the session stays where it is: the drained process takes nothing.
    expect((await via(owner).post(`/channels/${channel.id}/session/restart`)).status).toBe(200);
    await eventually(async () => (await via(other).get(`/channels/${channel.id}/session`)).body, (b) => b.state === 'READY' && b.owner === 'local', 30_000, 'READY again, still there');
    expect(chromiumUnder(dataDirs[owner])).toEqual([]);
    const resumed = await admin(owner).post(`/admin/cluster/processes/${encodeURIComponent(id)}/resume`);
    expect(resumed.body).toEqual({ id, resumed: true });
    expect((await processes(other)).find((p) => p.id === id)).toMatchObject({ draining: false });
    // One PROVIDER_CREDENTIALS_KEY everywhere (the links are encrypted with it): the list shows its id, never the key.
    const list = await processes(owner);
    expect(new Set(list.map((p) => p.credentialsKeyId)).size).toBe(1);
    expect(list[0].credentialsKeyId).toMatch(/^[0-9a-f]{8}$/);
    expect(JSON.stringify(list)).not.toContain(env.PROVIDER_CREDENTIALS_KEY);
    const unknown = await admin(owner).post('/admin/cluster/processes/nope:1:abc/drain');
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('PROCESS_NOT_FOUND');
    expect((await via(owner).get('/admin/cluster/processes')).status).toBe(403);
  });
});
