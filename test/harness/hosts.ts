import { ChildProcess, execFile, spawn, SpawnOptions } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, connect, Server, Socket } from 'node:net';
import { ServerProcess, spawnServer, waitForHttp } from './server-process';

/**
 * Several "hosts" on this machine for tests that need server processes on separate machines:
 * each host is a Linux network namespace (its own loopback, its own ports, one address on a
 * private /24) plugged into a bridge in the root namespace. The jest process (root namespace)
 * reaches every host at its address; hosts reach each other the same way, and reach the root
 * namespace only at the bridge address.
 *
 *   jest (root ns) ── omcbr<rand> 10.2xx.y.1/24 ─┬─ veth ── omc-<rand>-0: eth0 10.2xx.y.2, lo
 *                                                 └─ veth ── omc-<rand>-1: eth0 10.2xx.y.3, lo
 *
 * The shared store and Redis of the e2e global setup listen on 127.0.0.1 of the root namespace,
 * which no host can reach (127.0.0.1 inside a namespace is the host's own loopback). Hosts reach
 * them through TCP forwarders that this process runs on the bridge address (node:net, one per
 * target, created on demand): bridgeIp:<ephemeral> is piped to 127.0.0.1:<port>. That needs
 * nothing from the machine: no ip_forward, no iptables DNAT, no route_localnet sysctl (which
 * would be machine-wide and would expose every loopback service to the bridge). Traffic from a
 * host to the bridge address is local delivery in the root namespace, never routed or bridged,
 * so host↔store works whatever the machine's FORWARD policy is. It also gives tests a switch:
 * `host.cutOff()` makes the forwarders drop that host's connections (its store and Redis go
 * silent while HTTP to and between hosts keeps working); `host.disconnect()` takes its link down.
 * The forwarders live in the jest worker: a test that blocks the event loop (execFileSync,
 * spawnSync, busy loops) stalls every host's store traffic meanwhile; `Host.exec` is async.
 *
 * What is and is not separate: network namespace and DATA_DIR only. Hosts share the filesystem
 * (so the PostgreSQL behind FerretDB, reached by FERRETDB_POSTGRESQL_URL over a unix socket in
 * /tmp, is reachable from every host as is; unix sockets are not per network namespace), the PID
 * namespace (/proc shows every host's processes; pids stay unique, so ids built from
 * hostname:pid:random never collide) and the UTS namespace (os.hostname() is the same
 * everywhere; the server only uses it inside ids, never to decide that an owner is "local").
 * Hosts have no DNS and no route beyond the bridge (this machine does not forward), which the
 * sandbox engine does not need.
 *
 * Cleanup: destroy() kills whatever still runs in the namespaces and deletes the veths, the
 * bridge and the namespaces, whatever state a failed createHosts left. process.on('exit') cannot
 * be used for the "test run dies" case: inside a jest test `process` is a sandbox copy whose
 * 'exit' never fires. Instead each run starts a detached watchdog process holding a pipe from
 * this process: when the pipe closes without destroy() having disarmed it (worker killed,
 * crashed or exited), the watchdog tears the run's names down. Works after SIGKILL too.
 *
 * Flakiness notes: a veth takes a moment to get carrier and join the bridge in forwarding state,
 * so createHosts waits for it (sysfs brport/state = 3, operstate up on both ends); IPv6 is kept
 * off the links (addrgenmode none: no link-local address, no DAD, no router solicitations); the
 * bridge has STP off and forward_delay 0. On a machine with br_netfilter loaded and an iptables
 * FORWARD policy of DROP (Docker sets that), host↔host traffic (bridged) could be dropped;
 * jest↔host and host↔forwarder traffic is not affected. Subnets are drawn at random from
 * 10.200-254.x.0/24 and checked against the machine's routes and addresses.
 */

const IP = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].find((p) => existsSync(p)) ?? 'ip';

export interface ExecResult {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Written to stdin, which is then closed. */
  input?: string;
  /** Default 30 s; the command is killed then (code null, signal SIGTERM). */
  timeoutMs?: number;
}

export interface Host {
  readonly index: number;
  /** The network namespace (`ip netns` name): omc-<rand>-<index>. */
  readonly name: string;
  /** Its address on the bridge (eth0 inside the namespace). */
  readonly ip: string;
  /** The root-namespace end of its veth pair (a bridge port). */
  readonly veth: string;
  /** The run it belongs to (bridge, forwarders). */
  readonly cluster: Hosts;
  /** Command prefix that runs a program inside the namespace (`ip netns exec` execs in place). */
  readonly wrap: string[];
  /** Runs a command inside the namespace to completion. Never rejects on a non-zero exit. */
  exec(cmd: string, args?: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Spawns a command inside the namespace; `child.pid` is the command itself (no wrapper process). */
  spawnIn(cmd: string, args?: string[], opts?: SpawnOptions): ChildProcess;
  /** Forwarders drop this host's connections and refuse new ones (store and Redis unreachable). */
  cutOff(): void;
  /** Undoes cutOff(). */
  restore(): void;
  /** Takes the host's link down: nothing reaches it or leaves it (HTTP included). */
  disconnect(): Promise<void>;
  /** Brings the link back up and waits until it forwards again. */
  reconnect(): Promise<void>;
}

export interface Hosts {
  hosts: Host[];
  /** The bridge in the root namespace: omcbr<rand>. */
  bridge: string;
  /** The bridge's address: the hosts' default route, where the forwarders listen. */
  bridgeIp: string;
  /** e.g. 10.213.77.0/24 */
  subnet: string;
  /** A forwarder bridgeIp:<returned port> → targetHost:targetPort (one per target, reused). */
  forward(targetPort: number, targetHost?: string): Promise<number>;
  /**
   * The same URL reachable from a host: a loopback host:port (127.0.0.1, localhost, ::1) becomes
   * bridgeIp:<forwarder port>. Other URLs (unix sockets, remote hosts, several hosts) are returned as is.
   */
  viaBridge(url: string): Promise<string>;
  /** Removes everything this run created. Safe to call twice and after a partial createHosts. */
  destroy(): Promise<void>;
}

export interface CreateHostsOptions {
  /** A /24 to use (`10.213.77.0/24`) instead of a random free one. */
  subnet?: string;
  /** How long to wait for the links to forward (default 10 s). */
  linkTimeoutMs?: number;
}

/** Run by the watchdog (and by destroy(), through `node -e`): one implementation of the teardown. */
const TEARDOWN_JS = `
function teardown(plan) {
  const { execFileSync } = require('node:child_process');
  const ip = (...args) => {
    try { return execFileSync(plan.ip, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10000 }); } catch { return ''; }
  };
  for (const ns of plan.namespaces) {
    for (const pid of ip('netns', 'pids', ns).split(/\\s+/).filter(Boolean)) {
      try { process.kill(Number(pid), 'SIGKILL'); } catch {}
    }
  }
  for (const veth of plan.veths) ip('link', 'del', veth);
  ip('link', 'del', plan.bridge);
  for (const ns of plan.namespaces) ip('netns', 'del', ns);
}
`;

const WATCHDOG_JS = `${TEARDOWN_JS}
const plan = JSON.parse(process.argv[1]);
let disarmed = false;
let ended = false;
const end = () => {
  if (ended) return;
  ended = true;
  if (!disarmed) teardown(plan);
  process.exit(0);
};
process.stdin.on('data', (d) => { if (String(d).includes('disarm')) disarmed = true; });
process.stdin.on('end', end);
process.stdin.on('close', end);
process.stdin.on('error', end);
`;

interface Plan {
  ip: string;
  bridge: string;
  veths: string[];
  namespaces: string[];
}

function run(cmd: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      { env: opts.env, cwd: opts.cwd, timeout: opts.timeoutMs ?? 30_000, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: number | string; signal?: NodeJS.Signals | null }) | null;
        if (e && typeof e.code === 'string') {
          // spawn failure (ENOENT, …): no exit status
          resolve({ code: null, signal: null, stdout: String(stdout ?? ''), stderr: `${stderr ?? ''}${e.message}` });
          return;
        }
        resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** `ip …` that must succeed. */
async function ip(...args: string[]): Promise<string> {
  const res = await run(IP, args, { timeoutMs: 15_000 });
  if (res.code !== 0) throw new Error(`ip ${args.join(' ')} failed (${res.code ?? res.signal}): ${res.stderr.trim()}`);
  return res.stdout;
}

// --- subnet choice ---------------------------------------------------------------------------

function ipToInt(a: string): number {
  return a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function overlaps(a: { base: number; len: number }, b: { base: number; len: number }): boolean {
  const len = Math.min(a.len, b.len);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return ((a.base & mask) >>> 0) === ((b.base & mask) >>> 0);
}

/** Every IPv4 prefix the machine routes or owns (all tables), e.g. 192.0.2.0/24, 127.0.0.1/32. */
async function usedPrefixes(): Promise<{ base: number; len: number }[]> {
  const text = `${await ip('-4', 'route', 'show', 'table', 'all')}\n${await ip('-4', '-o', 'addr', 'show')}`;
  const found: { base: number; len: number }[] = [];
  for (const m of text.matchAll(/(?:^|\s)(\d+\.\d+\.\d+\.\d+)(?:\/(\d+))?(?=\s|$)/gm)) {
    const len = m[2] === undefined ? 32 : Number(m[2]);
    if (len === 0) continue; // default routes
    found.push({ base: ipToInt(m[1]), len });
  }
  return found;
}

async function pickSubnet(): Promise<string> {
  const used = await usedPrefixes();
  for (let attempt = 0; attempt < 200; attempt++) {
    const net = `10.${randomInt(200, 255)}.${randomInt(0, 256)}.0`;
    if (!used.some((u) => overlaps(u, { base: ipToInt(net), len: 24 }))) return `${net}/24`;
  }
  throw new Error('no free 10.2xx.x.0/24 found');
}

// --- forwarders ------------------------------------------------------------------------------

class Forwarder {
  private readonly server: Server;
  private readonly conns = new Set<{ from: string; client: Socket; upstream: Socket }>();
  port = 0;

  constructor(
    private readonly target: { host: string; port: number },
    private readonly blocked: Set<string>,
  ) {
    this.server = createServer({ noDelay: true }, (client) => this.accept(client));
  }

  listen(host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, host, () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as { port: number }).port;
        resolve(this.port);
      });
    });
  }

  private accept(client: Socket): void {
    const from = client.remoteAddress ?? '';
    if (this.blocked.has(from)) {
      client.resetAndDestroy();
      return;
    }
    // Small request/response traffic (Redis, the wire protocol): no Nagle on either leg.
    const upstream = connect({ host: this.target.host, port: this.target.port, noDelay: true });
    const conn = { from, client, upstream };
    this.conns.add(conn);
    const close = () => {
      this.conns.delete(conn);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.pipe(upstream);
    upstream.pipe(client);
  }

  /** Drops the live connections from one address (RST, so the client notices at once). */
  cut(from: string): void {
    for (const conn of [...this.conns]) {
      if (conn.from !== from) continue;
      this.conns.delete(conn);
      conn.client.resetAndDestroy();
      conn.upstream.destroy();
    }
  }

  close(): Promise<void> {
    for (const { client, upstream } of this.conns) {
      client.destroy();
      upstream.destroy();
    }
    this.conns.clear();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

// --- hosts -----------------------------------------------------------------------------------

/** Each host's run keeps the children started in it, to kill what is left at destroy(). */
const trackers = new WeakMap<Host, (child: ChildProcess) => ChildProcess>();
/** Next default PORT per host (spawnServerIn). */
const nextPort = new WeakMap<Host, number>();

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const DEFAULT_PORTS: Record<string, number> = { 'redis:': 6379, 'rediss:': 6379, 'mongodb:': 27017, 'postgres:': 5432, 'postgresql:': 5432 };

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function sysfs(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Until both ends of a host's veth are up and the bridge forwards on its port. */
async function waitForLink(ns: string, veth: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rootSide = sysfs(`/sys/class/net/${veth}/operstate`) === 'up' && sysfs(`/sys/class/net/${veth}/brport/state`) === '3';
    const nsSide = rootSide && / state UP /.test(await ip('-n', ns, '-o', 'link', 'show', 'eth0'));
    if (rootSide && nsSide) return;
    if (Date.now() > deadline) throw new Error(`link of ${ns} (${veth}) not forwarding within ${timeoutMs} ms`);
    await sleep(25);
  }
}

/**
 * Creates n hosts (network namespaces on one fresh bridge). Call destroy() when done (afterAll);
 * if the test process dies first, the run's watchdog removes them.
 */
export async function createHosts(n: number, opts: CreateHostsOptions = {}): Promise<Hosts> {
  if (!Number.isInteger(n) || n < 1 || n > 99) throw new Error(`createHosts: 1..99 hosts, not ${n}`);
  const rand = randomBytes(3).toString('hex');
  // Interface names are at most 15 characters: omcbr + 6 = 11, omcv + 6 + 2 = 12.
  const plan: Plan = {
    ip: IP,
    bridge: `omcbr${rand}`,
    veths: Array.from({ length: n }, (_, i) => `omcv${rand}${i}`),
    namespaces: Array.from({ length: n }, (_, i) => `omc-${rand}-${i}`),
  };
  const linkTimeoutMs = opts.linkTimeoutMs ?? 10_000;
  const subnet = opts.subnet ?? (await pickSubnet());
  const prefix = subnet.replace(/\.0\/24$/, '');
  if (!/^\d+\.\d+\.\d+$/.test(prefix)) throw new Error(`createHosts: subnet must be a x.y.z.0/24, not ${subnet}`);
  const bridgeIp = `${prefix}.1`;

  // Armed before anything exists, so a crash at any point below still cleans up.
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG_JS, JSON.stringify(plan)], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
  watchdog.on('error', () => undefined);
  watchdog.stdin?.on('error', () => undefined);
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();

  const blocked = new Set<string>();
  const forwarders = new Map<string, Promise<Forwarder>>();
  const children = new Set<ChildProcess>();
  let destroyed: Promise<void> | undefined;

  const track = (child: ChildProcess): ChildProcess => {
    children.add(child);
    child.once('exit', () => children.delete(child));
    return child;
  };

  const cluster: Hosts = {
    hosts: [],
    bridge: plan.bridge,
    bridgeIp,
    subnet,
    forward(targetPort, targetHost = '127.0.0.1') {
      if (destroyed) return Promise.reject(new Error('hosts destroyed'));
      const key = `${targetHost}:${targetPort}`;
      let fwd = forwarders.get(key);
      if (!fwd) {
        const f = new Forwarder({ host: targetHost, port: targetPort }, blocked);
        fwd = f.listen(bridgeIp).then(() => f);
        forwarders.set(key, fwd);
        fwd.catch(() => forwarders.delete(key));
      }
      return fwd.then((f) => f.port);
    },
    async viaBridge(url) {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        return url; // e.g. mongodb://a:1,b:2/db (several hosts)
      }
      if (!LOOPBACK.has(u.hostname)) return url;
      const port = Number(u.port) || DEFAULT_PORTS[u.protocol];
      if (!port) return url;
      const target = u.hostname === 'localhost' ? '127.0.0.1' : u.hostname.replace(/^\[|\]$/g, '');
      u.host = `${bridgeIp}:${await cluster.forward(port, target)}`;
      return u.toString();
    },
    destroy() {
      destroyed ??= (async () => {
        await Promise.all([...forwarders.values()].map((f) => f.then((x) => x.close()).catch(() => undefined)));
        // What the tests left running (and, through `ip netns pids` in the teardown, their Chromium).
        const exits = [...children].map((c) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r()))));
        for (const c of children) c.kill('SIGKILL');
        const teardown = run(process.execPath, ['-e', `${TEARDOWN_JS}\nteardown(JSON.parse(process.argv[1]));`, JSON.stringify(plan)], { timeoutMs: 60_000 });
        await Promise.race([Promise.all(exits), sleep(10_000)]);
        await teardown;
        if (watchdog.exitCode === null && watchdog.stdin?.writable) watchdog.stdin.end('disarm\n');
        const leftNs = (await ip('netns', 'list')).split('\n').filter((l) => plan.namespaces.includes(l.split(' ')[0]));
        const links = await ip('-o', 'link', 'show');
        const leftLinks = [plan.bridge, ...plan.veths].filter((name) => new RegExp(`^\\d+: ${name}[@:]`, 'm').test(links));
        if (leftNs.length > 0 || leftLinks.length > 0) throw new Error(`hosts teardown left ${[...leftNs, ...leftLinks].join(', ')}`);
      })();
      return destroyed;
    },
  };

  try {
    await ip('link', 'add', 'name', plan.bridge, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0');
    await ip('link', 'set', plan.bridge, 'addrgenmode', 'none');
    await ip('addr', 'add', `${bridgeIp}/24`, 'dev', plan.bridge);
    await ip('link', 'set', plan.bridge, 'up');
    // Another run may have drawn the same /24 between pickSubnet() and here.
    const routes = (await ip('-4', 'route', 'show', subnet)).trim().split('\n').filter(Boolean);
    if (routes.length !== 1) throw new Error(`subnet ${subnet} is also routed elsewhere: ${routes.join('; ')}`);

    for (let i = 0; i < n; i++) {
      const ns = plan.namespaces[i];
      const veth = plan.veths[i];
      const hostIp = `${prefix}.${i + 2}`;
      await ip('netns', 'add', ns);
      await ip('link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      await ip('link', 'set', veth, 'addrgenmode', 'none');
      await ip('link', 'set', veth, 'master', plan.bridge);
      await ip('link', 'set', veth, 'up');
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
      await ip('-n', ns, 'link', 'set', 'eth0', 'addrgenmode', 'none');
      await ip('-n', ns, 'addr', 'add', `${hostIp}/24`, 'dev', 'eth0');
      await ip('-n', ns, 'link', 'set', 'eth0', 'up');
      await ip('-n', ns, 'route', 'add', 'default', 'via', bridgeIp);
      const wrap = [IP, 'netns', 'exec', ns];
      const host: Host = {
        index: i,
        name: ns,
        ip: hostIp,
        veth,
        cluster,
        wrap,
        exec: (cmd, args = [], o = {}) => run(IP, ['netns', 'exec', ns, cmd, ...args], o),
        spawnIn: (cmd, args = [], o = {}) => track(spawn(IP, ['netns', 'exec', ns, cmd, ...args], o)),
        cutOff() {
          blocked.add(hostIp);
          for (const f of forwarders.values()) void f.then((x) => x.cut(hostIp)).catch(() => undefined);
        },
        restore() {
          blocked.delete(hostIp);
        },
        async disconnect() {
          await ip('link', 'set', veth, 'down');
        },
        async reconnect() {
          await ip('link', 'set', veth, 'up');
          await waitForLink(ns, veth, linkTimeoutMs);
        },
      };
      trackers.set(host, track);
      cluster.hosts.push(host);
    }
    for (const h of cluster.hosts) await waitForLink(h.name, h.veth, linkTimeoutMs);
  } catch (err) {
    await cluster.destroy().catch(() => undefined);
    throw err;
  }
  return cluster;
}

export interface SpawnServerInOptions {
  /** The compiled server (default dist/main.js; test/whatsapp's ensureBuilt() returns a fresh one). */
  main?: string;
  /** Path polled until it answers 200 (default /health). */
  readyPath?: string;
  timeoutMs?: number;
}


/**
 * The built server (`node dist/main.js`) on a host, as spawnServer runs it on this one: listening
 * on 0.0.0.0:PORT inside the namespace (PORT from env, else 3000, 3001, … per host), with
 * MONGODB_URI / REDIS_URL / FERRETDB_POSTGRESQL_URL rewritten to the bridge forwarders when they
 * point at this machine's loopback, PUBLIC_BASE_URL defaulting to its own http://<host ip>:PORT
 * and the bridge address added to OUTBOUND_ALLOWED_HOSTS (a webhook receiver in the jest process
 * must listen on cluster.bridgeIp to be reachable). Resolves once it answers; baseUrl is
 * http://<host ip>:PORT. `ip netns exec` execs node in place, so `child` is the server and
 * stop(signal) reaches it directly: SIGTERM shuts it down with its Chromium, as on one host;
 * SIGKILL leaves Chromium running (destroy() kills whatever is left in the namespace).
 */
export async function spawnServerIn(host: Host, env: Record<string, string>, opts: SpawnServerInOptions = {}): Promise<ServerProcess> {
  let port = env.PORT && env.PORT !== '0' ? Number(env.PORT) : undefined;
  if (port === undefined) {
    port = nextPort.get(host) ?? 3000;
    nextPort.set(host, port + 1);
  }
  const { cluster } = host;
  const rewritten: Record<string, string> = { ...env, HOST: '0.0.0.0', PORT: String(port) };
  for (const key of ['MONGODB_URI', 'REDIS_URL', 'FERRETDB_POSTGRESQL_URL']) {
    if (env[key]) rewritten[key] = await cluster.viaBridge(env[key]);
  }
  rewritten.PUBLIC_BASE_URL = env.PUBLIC_BASE_URL ?? `http://${host.ip}:${port}`;
  if (env.OUTBOUND_ALLOWED_HOSTS !== undefined) {
    rewritten.OUTBOUND_ALLOWED_HOSTS = [env.OUTBOUND_ALLOWED_HOSTS, cluster.bridgeIp].filter(Boolean).join(',');
  }
  const server = spawnServer(rewritten, { wrap: host.wrap, host: host.ip, main: opts.main });
  trackers.get(host)?.(server.child);
  try {
    await waitForHttp(`${server.baseUrl}${opts.readyPath ?? '/health'}`, server, opts.timeoutMs ?? 60_000);
  } catch (err) {
    await server.stop('SIGKILL');
    throw err;
  }
  return server;
}
