import { createServer, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { WebhookOutbox } from '../../src/webhooks/webhook-outbox.service';
import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { FILES, Messaging, startMessaging } from '../messages/messaging-harness';
import { waitFor } from '../webhooks/receiver';

jest.setTimeout(90_000);

/**
 * A local server for the outbound cases: `/drip` sends its headers and then one byte every 100 ms
 * forever (an idle timer never fires on it), `/fast` answers at once, `/fake.png` is HTML served as
 * image/png. Tracks requests in flight per path.
 */
class OutboundTarget {
  private server = createServer((req, res) => this.handle(req.url ?? '/', res));
  private readonly timers = new Set<ReturnType<typeof setInterval>>();
  readonly hits: string[] = [];
  readonly inFlight = new Map<string, number>();
  readonly maxInFlight = new Map<string, number>();
  port = 0;

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }
  url(path: string, host = '127.0.0.1'): string {
    return `http://${host}:${this.port}${path}`;
  }
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(url: string, res: ServerResponse): void {
    const path = url.split('?')[0];
    this.hits.push(path);
    const n = (this.inFlight.get(path) ?? 0) + 1;
    this.inFlight.set(path, n);
    this.maxInFlight.set(path, Math.max(n, this.maxInFlight.get(path) ?? 0));
    res.on('close', () => this.inFlight.set(path, (this.inFlight.get(path) ?? 1) - 1));
    if (path.startsWith('/drip')) {
      res.writeHead(200, { 'content-type': path.endsWith('.png') ? 'image/png' : 'application/json' });
      res.write(FILES.png.subarray(0, 8));
      const timer = setInterval(() => res.write('x'), 100);
      this.timers.add(timer);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (path === '/fake.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end('<!doctype html><html><body>not an image</body></html>');
    if (path === '/fake.webp') return void res.writeHead(200, { 'content-type': 'image/webp' }).end('<html>nope</html>');
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  }
}

/** A request the test gives up on after `ms` (main hung on these): the status, or 'hung'. */
async function within<T extends { status: number }>(ms: number, p: Promise<T>): Promise<T | { status: 'hung' }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<{ status: 'hung' }>((resolve) => (timer = setTimeout(() => resolve({ status: 'hung' }), ms)));
  try {
    return await Promise.race([p, hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe('hardening: outbound calls', () => {
  const target = new OutboundTarget();
  beforeAll(() => target.start());
  afterAll(() => target.stop());

  describe('media fetches (sandbox channel)', () => {
    let m: Messaging;
    let sessionId: string;
    beforeAll(async () => {
      // 127.0.0.1 stays allowlisted as in every e2e app; the IPv6 literals below are not on the list.
      m = await startMessaging('hardout', 'acc-hard-out', { OUTBOUND_TIMEOUT_MS: '1500' });
      sessionId = (await m.startConversation('5521988882222')).id;
    });
    afterAll(() => m?.close());

    const send = (mediaUri: string) => m.acc.post('/messages/send', { sessionId, agentName: 'Agente', mediaUri });

    it('cuts a media server that drips a byte every 100 ms at the total deadline', async () => {
      const started = Date.now();
      const res = await within(15_000, send(target.url('/drip.png')));
      const took = Date.now() - started;
      expect(res.status).toBe(422);
      expect((res as { body: { code: string } }).body.code).toBe('MEDIA_UNREACHABLE');
      expect(took).toBeLessThan(1500 + 3000);
    });

    it.each(['::127.0.0.1', '::ffff:127.0.0.1', '64:ff9b::127.0.0.1', '2002:7f00:1::1', '2001:0:5db8:d822::80ff:fffe', '::169.254.169.254'])(
      'refuses the media URL http://[%s]/ without connecting',
      async (address) => {
        const before = target.hits.length;
        const res = await send(`http://[${address}]:${target.port}/photo.png`);
        expect([res.status, res.body.code]).toEqual([400, 'MEDIA_URL_FORBIDDEN']);
        expect(target.hits.length).toBe(before);
      },
    );

    it('never sends unknown bytes as an image or a sticker (HTML served as image/png)', async () => {
      const image = await send(target.url('/fake.png'));
      expect([image.status, image.body.code]).toEqual([422, 'MEDIA_TYPE_MISMATCH']);
      for (const path of ['/fake.png', '/fake.webp']) {
        const sticker = await m.acc.post('/messages/sticker', { sessionId, mediaUri: target.url(path) });
        expect([sticker.status, sticker.body.code]).toEqual([422, 'MEDIA_TYPE_MISMATCH']);
      }
    });
  });

  describe('callback URLs and webhook delivery', () => {
    let t: TestApp;
    let acc: ApiClient;

    beforeAll(async () => {
      t = await startTestApp('hardhook', {
        WEBHOOK_TIMEOUT_MS: '1000',
        WEBHOOK_ENDPOINT_CONCURRENCY: '2',
        WEBHOOK_WORKER_CONCURRENCY: '4',
        // A timed-out attempt retries a minute later: the test watches the first attempts only.
        WEBHOOK_RETRY_DELAYS_MS: '0,60000',
      });
      acc = await accountClient(new ApiClient(t.baseUrl, t.adminKey), 'acc-hard-hook');
    });
    afterAll(() => t?.close());

    const setup = (platforms: Array<{ slug: string; callbackUrl: string }>, clientNumber: string) =>
      acc.post('/channels/setup/whatsappweb', { provider: { clientNumber, companyId: 'co' }, startingPlatform: platforms[0].slug, platforms });

    it.each([
      'http://[::169.254.169.254]/hook',
      'http://[::127.0.0.1]/hook',
      'http://[::10.0.0.1]/hook',
      'http://[::ffff:a9fe:a9fe]/hook',
      'http://[64:ff9b::a9fe:a9fe]/hook',
      'http://[64:ff9b:1::a00:1]/hook',
      'http://[2002:a9fe:a9fe::1]/hook',
      'http://[2001:0:5db8:d822::5601:5601]/hook', // Teredo client 169.254.169.254
    ])('refuses the callback URL %s at setup', async (callbackUrl) => {
      const res = await setup([{ slug: 'p', callbackUrl }], '5521977770001');
      expect([res.status, res.body.code]).toEqual([400, 'INVALID_CALLBACK_URL']);
    });

    it('gives a dripping endpoint a total deadline and only its own slots, while another endpoint is served', async () => {
      const res = await setup(
        [
          { slug: 'drip', callbackUrl: target.url('/drip-hook') },
          { slug: 'fast', callbackUrl: target.url('/fast-hook') },
        ],
        '5521977770002',
      );
      expect(res.status).toBe(201);
      const channelId = res.body.id as string;
      const outbox = t.app.get(WebhookOutbox);
      let n = 0;
      const record = (platform: string) =>
        outbox.record({ key: `${channelId}:message.received:hard-${++n}:${platform}`, clientIdentifier: 'acc-hard-hook', channelId, platform, type: 'message.received', data: { n } });

      const dripIds: string[] = [];
      for (let i = 0; i < 6; i++) dripIds.push((await record('drip')).eventId);
      await waitFor('the dripping endpoint to be called', () => (target.inFlight.get('/drip-hook') ?? 0) > 0);
      const fastStarted = Date.now();
      const fastIds: string[] = [];
      for (let i = 0; i < 10; i++) fastIds.push((await record('fast')).eventId);

      const eventOf = async (id: string) => (await acc.get(`/webhooks/events/${id}`)).body;
      await waitFor('the fast endpoint served while the other drips', async () => (await Promise.all(fastIds.map(eventOf))).every((e) => e.state === 'delivered'), 10_000);
      expect(Date.now() - fastStarted).toBeLessThan(5_000);

      // Every dripping attempt ended at the 1 s deadline (main: never), holding at most its 2 slots.
      const first = await waitFor(
        'the first attempts of the dripping endpoint to end',
        async () => {
          const events = await Promise.all(dripIds.map(eventOf));
          return events.every((e) => e.attempts?.length >= 1) ? events.map((e) => e.attempts[0]) : undefined;
        },
        20_000,
      );
      for (const attempt of first) {
        expect(attempt.error).toMatch(/^TIMEOUT/);
        expect(attempt.latencyMs).toBeGreaterThanOrEqual(900);
        expect(attempt.latencyMs).toBeLessThan(1000 + 2000);
      }
      expect(target.maxInFlight.get('/drip-hook')).toBeLessThanOrEqual(2);
    });
  });
});
