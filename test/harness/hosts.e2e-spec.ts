import { execFileSync } from 'node:child_process';
import { readlinkSync, realpathSync, statSync } from 'node:fs';
import { createHosts, Host, Hosts } from './hosts';

jest.setTimeout(120_000);

const NODE = process.execPath;

/** A node one-liner run inside a host: PING over RESP to host:port, prints the reply or the error code. */
const PING = `
const s = require('net').connect(Number(process.argv[2]), process.argv[1]);
s.setTimeout(3000, () => { console.log('TIMEOUT'); process.exit(0); });
s.on('connect', () => s.write('PING\\r\\n'));
s.on('data', (d) => { console.log(String(d).trim()); process.exit(0); });
s.on('error', (e) => { console.log(e.code); process.exit(0); });
s.on('close', () => { console.log('CLOSED'); process.exit(0); });
`;

const ping = async (host: Host, addr: string, port: number) => (await host.exec(NODE, ['-e', PING, addr, String(port)])).stdout.trim();

describe('hosts: servers on separate network namespaces', () => {
  let cluster: Hosts | undefined;
  let names: string[] = [];
  const redisPort = Number(new URL(process.env.REDIS_URL!).port);

  beforeAll(async () => {
    cluster = await createHosts(2);
    names = [cluster.bridge, ...cluster.hosts.flatMap((h) => [h.name, h.veth])];
  });

  afterAll(async () => {
    await cluster?.destroy();
  });

  it('hosts reach the shared Redis through the bridge, not over their own loopback', async () => {
    const [h0] = cluster!.hosts;
    expect(h0.ip).not.toBe(cluster!.hosts[1].ip);
    const viaBridge = new URL(await cluster!.viaBridge(process.env.REDIS_URL!));
    expect(viaBridge.hostname).toBe(cluster!.bridgeIp);
    expect(await ping(h0, cluster!.bridgeIp, Number(viaBridge.port))).toBe('+PONG');
    expect(await ping(h0, '127.0.0.1', redisPort)).toBe('ECONNREFUSED');

    // A host cut off loses the store and Redis until restored.
    h0.cutOff();
    expect(await ping(h0, cluster!.bridgeIp, Number(viaBridge.port))).toMatch(/ECONNRESET|CLOSED/);
    h0.restore();
    expect(await ping(h0, cluster!.bridgeIp, Number(viaBridge.port))).toBe('+PONG');
  });

  it('the jest process and other hosts reach a server inside a host at its address; signals reach it', async () => {
    const [h0, h1] = cluster!.hosts;
    const child = h1.spawnIn(NODE, ['-e', "require('http').createServer((q, s) => s.end('hi from ' + process.pid)).listen(8080, '0.0.0.0', () => console.log('listening'))"], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => String(d).includes('listening') && resolve());
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    // `ip netns exec` execs in place: the child is node itself, inside the host's namespace.
    expect(readlinkSync(`/proc/${child.pid}/exe`)).toBe(realpathSync(NODE));
    expect(readlinkSync(`/proc/${child.pid}/ns/net`)).toBe(`net:[${statSync(`/run/netns/${h1.name}`).ino}]`);

    const res = await fetch(`http://${h1.ip}:8080/`);
    expect(await res.text()).toBe(`hi from ${child.pid}`);
    // Host to host over the bridge; host 0's own loopback has nothing on 8080.
    const get = `fetch(process.argv[1]).then((r) => r.text()).then(console.log, (e) => console.log(e.cause?.code ?? e.message))`;
    expect((await h0.exec(NODE, ['-e', get, `http://${h1.ip}:8080/`])).stdout.trim()).toBe(`hi from ${child.pid}`);
    expect((await h0.exec(NODE, ['-e', get, 'http://127.0.0.1:8080/'])).stdout.trim()).toBe('ECONNREFUSED');

    const exited = new Promise((r) => child.once('exit', (code, signal) => r(signal ?? code)));
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
  });

  it('destroy() removes the namespaces, the bridge and the veths', async () => {
    await cluster!.destroy();
    const netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
    for (const name of names) {
      expect(netns).not.toContain(name);
      expect(links).not.toContain(name);
    }
    await cluster!.destroy(); // twice is fine
  });
});
