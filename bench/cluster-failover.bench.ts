/**
 * Cluster failover on two hosts (network namespaces, separate DATA_DIRs, one store and Redis),
 * the sandbox WhatsApp engine, the DEFAULT session lease (SESSION_LEASE_TTL_MS unset: 10 s):
 *
 *   node --experimental-vm-modules node_modules/jest/bin/jest.js -c bench/jest.bench.config.js bench/cluster-failover.bench.ts
 *
 * 1. Failover after a host is lost: one linked channel; ≥12 s after READY (its link is stored
 *    10 s after READY) every process in the owner's namespace is SIGKILLed; the time until the
 *    surviving process reports the session READY with owner 'local' (polled every 100 ms). The
 *    killed host gets a fresh server (fresh DATA_DIR) and the next round kills the new owner.
 * 2. Forwarding overhead: N sequential idempotent POST /channels/:id/session/start, and
 *    GET /sandbox/channels/:id/state (a routed owner command), through the owner and through the
 *    other process, interleaved.
 * 3. SIGTERM hand-over: the owner process is stopped with SIGTERM; the time until READY with
 *    owner 'local' on the other one.
 * Writes bench/results/cluster-failover.json. Asserts sanity only, never numbers.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir, type as osType, release } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHosts, Host, Hosts, spawnServerIn } from '../test/harness/hosts';
import { ApiClient, accountClient } from '../test/harness/http';
import { ServerProcess } from '../test/harness/server-process';
import { testEnv, uniqueDatabase, TEST_ADMIN_KEY } from '../test/harness/test-app';
import { ensureBuilt, setupChannel } from '../test/whatsapp/whatsapp-helpers';
import { percentile, round, writeResult } from './stats';

const execFileP = promisify(execFile);

const KILL_ROUNDS = Number(process.env.BENCH_KILL_ROUNDS ?? 5);
const SIGTERM_ROUNDS = Number(process.env.BENCH_SIGTERM_ROUNDS ?? 3);
const FORWARD_N = Number(process.env.BENCH_FORWARD_N ?? 200);
/** LinkKeeper saves a link 10 s after READY. */
const LINK_SAVED_AFTER_MS = 12_000;
/** The server's default (src/config/app-config.ts) — not set in the environment. */
const DEFAULT_LEASE_TTL_MS = 10_000;
const POLL_MS = 100;
const READY_TIMEOUT_MS = 90_000;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function summary(samples: number[]) {
  return {
    n: samples.length,
    p50: round(percentile(samples, 50), 1),
    p99: round(percentile(samples, 99), 1),
    max: round(Math.max(...samples), 1),
    all: samples.map((s) => round(s, 1)),
  };
}

describe('cluster failover bench', () => {
  let cluster: Hosts;
  let mainJs: string;
  let env: Record<string, string>;
  const servers: (ServerProcess | undefined)[] = [];
  let key: string;

  const via = (i: number) => new ApiClient(servers[i]!.baseUrl, key);

  afterAll(async () => {
    await Promise.all(servers.filter((s): s is ServerProcess => !!s).map((s) => s.stop('SIGTERM').catch(() => undefined)));
    await cluster?.destroy();
  });

  async function spawn(host: Host): Promise<ServerProcess> {
    return spawnServerIn(host, { ...env, DATA_DIR: mkdtempSync(join(tmpdir(), `omc-bench-host${host.index}-`)) }, { main: mainJs });
  }

  async function killHost(host: Host): Promise<void> {
    // Async: the bridge forwarders live in this process and must keep serving the other host.
    const { stdout } = await execFileP('ip', ['netns', 'pids', host.name]);
    for (const pid of stdout.split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  async function isLocalReady(i: number, channelId: string): Promise<boolean> {
    try {
      const res = await via(i).get(`/channels/${channelId}/session`);
      return res.status === 200 && res.body.state === 'READY' && res.body.owner === 'local';
    } catch {
      return false;
    }
  }

  /** Index of the process running the session READY, or -1. */
  async function ownerIndex(channelId: string): Promise<number> {
    for (let i = 0; i < servers.length; i++) if (servers[i] && (await isLocalReady(i, channelId))) return i;
    return -1;
  }

  /** ms from t0 until process i reports the session READY with owner 'local', polled every 100 ms. */
  async function untilLocalReady(i: number, channelId: string, t0: number): Promise<number> {
    const end = t0 + READY_TIMEOUT_MS;
    while (Date.now() < end) {
      if (await isLocalReady(i, channelId)) return Date.now() - t0;
      await sleep(POLL_MS);
    }
    const last = await via(i)
      .get(`/channels/${channelId}/session`)
      .catch((e: Error) => ({ status: 0, body: e.message }));
    throw new Error(`session not READY/local on process ${i} within ${READY_TIMEOUT_MS} ms; last: ${JSON.stringify(last.body)}`);
  }

  it('measures failover, forwarding and hand-over on two hosts', async () => {
    const loadBefore = loadavg().map((l) => round(l, 2));
    mainJs = ensureBuilt();
    cluster = await createHosts(2);
    env = testEnv(uniqueDatabase('benchcluster'), {
      // SESSION_LEASE_TTL_MS and SESSION_RESTORE_STAGGER_MS deliberately unset: server defaults.
      SEND_MIN_INTERVAL_MS: '0',
      PROVIDER_CREDENTIALS_KEY: randomBytes(32).toString('base64'),
    });
    expect(env.SESSION_LEASE_TTL_MS).toBeUndefined();
    for (const host of cluster.hosts) servers.push(await spawn(host));
    key = (await accountClient(new ApiClient(servers[0]!.baseUrl, TEST_ADMIN_KEY), 'acc-bench-cluster')).key!;

    const channel = await setupChannel(via(0));
    const linked = await via(0).post(`/sandbox/channels/${channel.id}/link`, {});
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ state: 'READY', linked: true });
    let readyAt = Date.now();
    let owner = await ownerIndex(channel.id);
    expect(owner).toBeGreaterThanOrEqual(0);
    console.log(`[bench:cluster] linked ${channel.id} on process ${owner}`);

    // --- 2. forwarding overhead ---------------------------------------------------------------
    const other = 1 - owner;
    const calls = {
      start: { method: 'POST' as const, path: `/channels/${channel.id}/session/start` },
      state: { method: 'GET' as const, path: `/sandbox/channels/${channel.id}/state` },
    };
    const forwarding: Record<string, unknown> = {};
    for (const [name, call] of Object.entries(calls)) {
      const times: Record<'owner' | 'nonOwner', number[]> = { owner: [], nonOwner: [] };
      // Warm-up: connections, JIT, route caches.
      for (let k = 0; k < 10; k++) for (const i of [owner, other]) await via(i).call(call.method, call.path);
      for (let k = 0; k < FORWARD_N; k++) {
        // Interleaved, alternating which goes first.
        const order = k % 2 === 0 ? [owner, other] : [other, owner];
        for (const i of order) {
          const t = performance.now();
          const res = await via(i).call(call.method, call.path);
          const ms = performance.now() - t;
          if (res.status !== 200 && res.status !== 201) throw new Error(`${call.method} ${call.path} via ${i}: ${res.status} ${JSON.stringify(res.body)}`);
          if (name === 'start') expect(res.body).toMatchObject({ state: 'READY' });
          times[i === owner ? 'owner' : 'nonOwner'].push(ms);
        }
      }
      const o = median(times.owner);
      const n = median(times.nonOwner);
      forwarding[name] = {
        request: `${call.method} ${call.path.replace(channel.id, ':id')}`,
        n: FORWARD_N,
        ownerMs: { median: round(o), p99: round(percentile(times.owner, 99)) },
        nonOwnerMs: { median: round(n), p99: round(percentile(times.nonOwner, 99)) },
        ratioMedian: round(n / o),
      };
    }
    console.log('[bench:cluster] forwarding', JSON.stringify(forwarding));

    // --- 1. failover after SIGKILL of the owner's host ----------------------------------------
    const failoverMs: number[] = [];
    for (let round_ = 0; round_ < KILL_ROUNDS; round_++) {
      await sleep(Math.max(0, readyAt + LINK_SAVED_AFTER_MS - Date.now()));
      owner = await ownerIndex(channel.id);
      expect(owner).toBeGreaterThanOrEqual(0);
      const survivor = 1 - owner;
      const t0 = Date.now();
      await killHost(cluster.hosts[owner]);
      servers[owner] = undefined;
      const ms = await untilLocalReady(survivor, channel.id, t0);
      readyAt = Date.now();
      failoverMs.push(ms);
      console.log(`[bench:cluster] kill round ${round_ + 1}: host ${owner} killed, READY on ${survivor} after ${ms} ms`);
      servers[owner] = await spawn(cluster.hosts[owner]);
    }

    // --- 3. SIGTERM hand-over ------------------------------------------------------------------
    const handOverMs: number[] = [];
    for (let round_ = 0; round_ < SIGTERM_ROUNDS; round_++) {
      await sleep(Math.max(0, readyAt + LINK_SAVED_AFTER_MS - Date.now()));
      owner = await ownerIndex(channel.id);
      expect(owner).toBeGreaterThanOrEqual(0);
      const survivor = 1 - owner;
      const t0 = Date.now();
      const exited = servers[owner]!.stop('SIGTERM');
      servers[owner] = undefined;
      const ms = await untilLocalReady(survivor, channel.id, t0);
      readyAt = Date.now();
      handOverMs.push(ms);
      const code = await exited;
      console.log(`[bench:cluster] SIGTERM round ${round_ + 1}: process ${owner} stopped (exit ${code}), READY on ${survivor} after ${ms} ms`);
      // Whatever the stopped server left in its namespace (nothing, normally).
      await killHost(cluster.hosts[owner]);
      servers[owner] = await spawn(cluster.hosts[owner]);
    }

    const fw = forwarding as Record<string, { request: string; ownerMs: { median: number; p99: number }; nonOwnerMs: { median: number; p99: number }; ratioMedian: number }>;
    const f = summary(failoverMs);
    const h = summary(handOverMs);
    const table = [
      `Cluster failover, 2 hosts, sandbox engine, lease TTL ${DEFAULT_LEASE_TTL_MS} ms (default), ${cpus().length} cores, load before ${loadBefore.join(' / ')}`,
      `  failover after SIGKILL of owner host (${f.n} rounds): p50 ${f.p50} ms  p99 ${f.p99} ms  max ${f.max} ms  all [${f.all.join(', ')}]`,
      `  hand-over after SIGTERM of owner     (${h.n} rounds): p50 ${h.p50} ms  p99 ${h.p99} ms  max ${h.max} ms  all [${h.all.join(', ')}]`,
      ...Object.values(fw).map(
        (x) =>
          `  ${x.request.padEnd(42)} owner median ${x.ownerMs.median} ms p99 ${x.ownerMs.p99} ms | non-owner median ${x.nonOwnerMs.median} ms p99 ${x.nonOwnerMs.p99} ms | ratio ${x.ratioMedian}`,
      ),
    ].join('\n');
    console.log(table);

    const file = writeResult('cluster-failover', {
      bench: 'cluster-failover',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version, os: `${osType()} ${release()}`, loadAverageBefore: loadBefore },
      setup: {
        hosts: 2,
        engine: 'sandbox',
        leaseTtlMs: DEFAULT_LEASE_TTL_MS,
        leaseTtlSource: 'server default (SESSION_LEASE_TTL_MS unset)',
        restoreStaggerMs: 'server default (SESSION_RESTORE_STAGGER_MS unset)',
        waitAfterReadyBeforeKillMs: LINK_SAVED_AFTER_MS,
        pollMs: POLL_MS,
      },
      failoverAfterSigkillMs: f,
      handOverAfterSigtermMs: h,
      forwarding,
    });
    console.log(`[bench:cluster] wrote ${file}`);
    expect(failoverMs.length).toBe(KILL_ROUNDS);
  });
});
