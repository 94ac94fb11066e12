import { createServer, Server } from 'node:http';
import { LookupAddress } from 'node:dns';
import { AddressInfo } from 'node:net';
import { AppConfig, loadConfig } from '../../config/app-config';
import { DnsResolver, OutboundRequestError, SafeHttpClient } from './safe-http.client';
import { forbiddenAddressReason } from './address-policy';

class FakeResolver extends DnsResolver {
  calls: string[] = [];
  constructor(private readonly answers: Record<string, string[]>) {
    super();
  }
  async lookupAll(hostname: string): Promise<LookupAddress[]> {
    this.calls.push(hostname);
    const list = this.answers[hostname];
    if (!list) throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  }
}

function config(allowedHosts: string[] = []): AppConfig {
  const c = loadConfig({ ADMIN_API_KEY: 'x'.repeat(32), LINK_SIGNING_SECRET: 'y'.repeat(40) });
  // Generous: the machine is shared; the deadline tests pass their own timeoutMs.
  c.outbound = { allowedHosts, timeoutMs: 5_000, maxBytes: 1024 };
  return c;
}

async function expectRefused(p: Promise<unknown>, kind = 'FORBIDDEN_ADDRESS') {
  await expect(p).rejects.toBeInstanceOf(OutboundRequestError);
  await expect(p).rejects.toMatchObject({ kind });
}

describe('address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::1', 'loopback'],
    ['fd00::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
  ])('refuses %s (%s)', (address, range) => {
    expect(forbiddenAddressReason(address)).toMatch(new RegExp(`^${range}\\b`));
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111'])('allows public %s', (address) => {
    expect(forbiddenAddressReason(address)).toBeUndefined();
  });
});

describe('SafeHttpClient', () => {
  let server: Server;
  let port: number;
  let hits: number;
  let behaviour: 'ok' | 'redirect' | 'hang' | 'big' | 'drip';
  const drips = new Set<ReturnType<typeof setInterval>>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      if (behaviour === 'hang') return;
      if (behaviour === 'drip') {
        // Headers at once, then a byte every 50 ms forever: an idle timer never fires.
        res.writeHead(200, { 'content-type': 'text/plain' });
        const t = setInterval(() => res.write('x'), 50);
        drips.add(t);
        res.on('close', () => clearInterval(t));
        return;
      }
      if (behaviour === 'redirect') {
        res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
        return;
      }
      if (behaviour === 'big') {
        res.writeHead(200);
        res.end(Buffer.alloc(4096));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello ${req.method}`);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    for (const t of drips) clearInterval(t);
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(() => {
    hits = 0;
    behaviour = 'ok';
  });

  it.each([
    'http://127.0.0.1:PORT/',
    'http://10.0.0.7:PORT/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]:PORT/',
    'http://[::ffff:127.0.0.1]:PORT/',
    'http://[::127.0.0.1]:PORT/',
    'http://[::169.254.169.254]/',
    'http://[::10.0.0.1]/',
    'http://[64:ff9b::7f00:1]:PORT/',
    'http://[2002:7f00:1::1]:PORT/',
    'http://[2001:0:5db8:d822::80ff:fffe]:PORT/',
    'http://localhost:PORT/',
    'http://100.64.1.1/',
  ])('refuses %s without connecting', async (url) => {
    const client = new SafeHttpClient(config(), new FakeResolver({}));
    await expectRefused(client.request(url.replace('PORT', String(port))));
    expect(hits).toBe(0);
  });

  it('refuses a hostname that resolves to a private address', async () => {
    const resolver = new FakeResolver({ 'intranet.example': ['10.20.30.40'] });
    const client = new SafeHttpClient(config(), resolver);
    await expectRefused(client.request('http://intranet.example/'));
    expect(resolver.calls).toEqual(['intranet.example']);
  });

  it('judges the address at connect time, so a name rebound to loopback never connects', async () => {
    // The URL passes every static check (a public-looking name); only the socket's lookup sees 127.0.0.1.
    const resolver = new FakeResolver({ 'rebind.example': ['127.0.0.1'] });
    const client = new SafeHttpClient(config(), resolver);
    expect(() => client.assertAllowedUrl(`http://rebind.example:${port}/`)).not.toThrow();
    await expectRefused(client.request(`http://rebind.example:${port}/`));
    expect(hits).toBe(0);
  });

  it.each(['::127.0.0.1', '::ffff:7f00:1', '64:ff9b::127.0.0.1', '2002:7f00:1::1'])(
    'judges an AAAA answer %s at connect time by the IPv4 inside',
    async (answer) => {
      const resolver = new FakeResolver({ 'six.example': [answer] });
      const client = new SafeHttpClient(config(), resolver);
      expect(() => client.assertAllowedUrl(`http://six.example:${port}/`)).not.toThrow();
      await expectRefused(client.request(`http://six.example:${port}/`));
      expect(resolver.calls).toEqual(['six.example']);
      expect(hits).toBe(0);
    },
  );

  it('refuses when any of several answers is private', async () => {
    const client = new SafeHttpClient(config(), new FakeResolver({ 'mixed.example': ['93.184.216.34', '192.168.0.10'] }));
    await expectRefused(client.request('http://mixed.example/'));
  });

  it('refuses non-http schemes and credentials in URLs', async () => {
    const client = new SafeHttpClient(config(), new FakeResolver({}));
    await expectRefused(client.request('file:///etc/passwd'), 'INVALID_URL');
    await expectRefused(client.request('http://user:pw@example.com/'), 'INVALID_URL');
    await expectRefused(client.request('not a url'), 'INVALID_URL');
  });

  it('reaches an allowlisted host and does not follow redirects', async () => {
    const client = new SafeHttpClient(config(['127.0.0.1']), new FakeResolver({}));
    const ok = await client.request(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' });
    expect(ok.status).toBe(200);
    expect(ok.body.toString()).toBe('hello POST');
    behaviour = 'redirect';
    const redirected = await client.request(`http://127.0.0.1:${port}/`);
    expect(redirected.status).toBe(302);
    expect(hits).toBe(2);
    client.onModuleDestroy();
  });

  it('gives up after the timeout and caps the response size', async () => {
    const client = new SafeHttpClient(config(['127.0.0.1']), new FakeResolver({}));
    behaviour = 'hang';
    await expectRefused(client.request(`http://127.0.0.1:${port}/`, { timeoutMs: 200 }), 'TIMEOUT');
    behaviour = 'big';
    await expectRefused(client.request(`http://127.0.0.1:${port}/`), 'TOO_LARGE');
    client.onModuleDestroy();
  });

  it('cuts a response that keeps dripping at the total deadline (not an idle timer)', async () => {
    const client = new SafeHttpClient(config(['127.0.0.1']), new FakeResolver({}));
    behaviour = 'drip';
    const started = Date.now();
    await expectRefused(client.request(`http://127.0.0.1:${port}/`, { timeoutMs: 400 }), 'TIMEOUT');
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(390);
    expect(took).toBeLessThan(2_000);
    client.onModuleDestroy();
  });
});
