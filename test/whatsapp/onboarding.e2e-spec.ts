import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { chromiumUnder, eventually, setupChannel, waitForState } from './whatsapp-helpers';

/** A page on its own origin that opens the onboarding popup and records what it is told. */
const OPENER_HTML = `<!doctype html><html><body><script>
window.messages = [];
window.addEventListener('message', function (e) { window.messages.push({ origin: e.origin, data: e.data }); });
window.openPopup = function (url) { window.popup = window.open(url, 'onboarding', 'width=480,height=720'); };
</script></body></html>`;

jest.setTimeout(60_000);

describe('WhatsApp onboarding popup (SDK 1.2) on the sandbox', () => {
  let t: TestApp;
  let acc: ApiClient;
  let browser: Browser;
  let context: BrowserContext;
  let openerServer: Server;
  let openerOrigin: string;

  beforeAll(async () => {
    t = await startTestApp('onboarding');
    acc = await accountClient(new ApiClient(t.baseUrl, t.adminKey), 'acc-onb');
    openerServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(OPENER_HTML));
    await new Promise<void>((r) => openerServer.listen(0, '127.0.0.1', r));
    openerOrigin = `http://127.0.0.1:${(openerServer.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    context = await browser.newContext();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => openerServer?.close(r));
    await t?.close();
    // Every session browser of this app is gone after shutdown.
    expect(chromiumUnder(t.config.storage.dataDir)).toEqual([]);
  });

  async function openOnboarding(url: string): Promise<{ opener: Page; popup: Page }> {
    const opener = await context.newPage();
    await opener.goto(openerOrigin);
    const [popup] = await Promise.all([context.waitForEvent('page'), opener.evaluate((u) => (window as any).openPopup(u), url)]);
    await popup.waitForLoadState();
    return { opener, popup };
  }

  const messages = (opener: Page): Promise<{ origin: string; data: any }[]> => opener.evaluate(() => (window as any).messages);

  it('shows the live QR, turns connected when the phone links, and tells its opener', async () => {
    const channel = await setupChannel(acc);
    const link = await acc.post(`/channels/${channel.id}/onboarding-link`, { origin: openerOrigin });
    expect(link.status).toBe(201);
    expect(link.body).toMatchObject({ channelId: channel.id, platformConfigId: channel.platformConfigId, state: 'STARTING' });
    expect(link.body.url).toMatch(new RegExp(`^${t.config.http.publicBaseUrl}/onboarding/[\\w-]+\\.[\\w-]+$`));
    expect(new Date(link.body.expiresAt).getTime() - Date.now()).toBeGreaterThan(9 * 60_000);

    const url = link.body.url.replace(t.config.http.publicBaseUrl, t.baseUrl);
    const { opener, popup } = await openOnboarding(url);

    // The QR image is drawn once WhatsApp Web shows one.
    await popup.waitForFunction(() => {
      const img = document.getElementById('qr') as HTMLImageElement;
      return !img.hidden && img.complete && img.naturalWidth > 100;
    }, undefined, { timeout: 20_000 });
    expect(await popup.textContent('#status')).toContain('Scan the QR code');
    const qrSrc = await popup.getAttribute('#qr', 'src');
    expect(qrSrc).toMatch(/\/qr\.png\?r=/);

    const linked = await acc.post(`/sandbox/channels/${channel.id}/link`, {});
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ state: 'READY', me: `${channel.clientNumber}@c.us`, linked: true, alreadyLinked: false });

    await popup.waitForSelector('#done:not([hidden])', { timeout: 10_000 });
    expect(await popup.textContent('#status')).toBe('Connected');
    expect(await popup.textContent('#who')).toContain(channel.clientNumber);

    const got = await eventually(() => messages(opener), (m) => m.some((x) => x.data.type === 'connected'), 5_000, 'connected message');
    for (const m of got) {
      expect(m.origin).toBe(new URL(t.baseUrl).origin);
      expect(m.data).toMatchObject({ source: 'omnichannel-onboarding', version: 1, channelId: channel.id });
    }
    const types = got.map((m) => `${m.data.type}:${m.data.state}`);
    expect(types).toContain('status:QR');
    expect(types).toContain('connected:READY');
    expect(got.find((m) => m.data.type === 'connected')!.data.me).toBe(`${channel.clientNumber}@c.us`);
    await popup.close();
  });

  it('links by pairing code: phone number in, 8-character code out', async () => {
    const channel = await setupChannel(acc);
    const link = await acc.post(`/channels/${channel.id}/onboarding-link`, { origin: openerOrigin });
    const { opener, popup } = await openOnboarding(link.body.url.replace(t.config.http.publicBaseUrl, t.baseUrl));
    await waitForState(acc, channel.id, 'QR');

    await popup.click('#toPhone');
    await popup.fill('#number', '+55 21 98888-7777');
    await popup.click('#getCode');
    await popup.waitForSelector('#codebox:not([hidden])', { timeout: 15_000 });
    const shown = (await popup.textContent('#code'))!;
    expect(shown).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

    const page = await acc.get(`/sandbox/channels/${channel.id}/state`);
    expect(page.body.pairing).toEqual({ phone: '5521988887777', code: shown.replace('-', '') });

    // Typing the code on the phone links the number that asked for it.
    const linked = await acc.post(`/sandbox/channels/${channel.id}/link`, {});
    expect(linked.body).toMatchObject({ state: 'READY', me: '5521988887777@c.us' });
    await popup.waitForSelector('#done:not([hidden])', { timeout: 10_000 });
    await eventually(() => messages(opener), (m) => m.some((x) => x.data.type === 'connected'), 5_000, 'connected message');
    await popup.close();
  });

  it('refuses a forged or expired link, in the page and to its opener', async () => {
    const channel = await setupChannel(acc);
    const link = await acc.post(`/channels/${channel.id}/onboarding-link`, {});
    const url: string = link.body.url.replace(t.config.http.publicBaseUrl, t.baseUrl);
    const forged = `${url.slice(0, -3)}${url.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    const res = await fetch(forged);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const api = await fetch(`${forged}/status`);
    expect(api.status).toBe(401);
    expect((await api.json()).code).toBe('ONBOARDING_LINK_INVALID');

    const { opener } = await openOnboarding(forged);
    const got = await eventually(() => messages(opener), (m) => m.length > 0, 5_000, 'error message');
    expect(got[0].data).toMatchObject({ source: 'omnichannel-onboarding', type: 'error', error: { code: 'ONBOARDING_LINK_INVALID' } });
    await acc.post(`/channels/${channel.id}/session/stop`);
  });

  it('serves the QR as text and PNG over the API, and streams status changes (SSE)', async () => {
    const channel = await setupChannel(acc);
    const idle = await acc.get(`/channels/${channel.id}/session`);
    expect(idle.body).toMatchObject({ channelId: channel.id, state: 'STOPPED', linked: false, qrAvailable: false, owner: 'none' });
    const noQr = await acc.get(`/channels/${channel.id}/session/qr`);
    expect(noQr.status).toBe(404);
    expect(noQr.body.code).toBe('QR_NOT_AVAILABLE');

    const ctrl = new AbortController();
    const stream = await fetch(`${t.baseUrl}/channels/${channel.id}/session/events`, {
      headers: { authorization: `Bearer ${acc.key}` },
      signal: ctrl.signal,
    });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const events: any[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buf = '';
      try {
        for await (const chunk of stream.body as any) {
          buf += decoder.decode(chunk, { stream: true });
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const data = block.split('\n').find((l) => l.startsWith('data:'));
            if (block.includes('event: status') && data) events.push(JSON.parse(data.slice(5)));
          }
        }
      } catch {
        // aborted
      }
    })();

    const started = await acc.post(`/channels/${channel.id}/session/start`);
    expect(started.status).toBe(200);
    expect(['STARTING', 'QR']).toContain(started.body.state);
    await waitForState(acc, channel.id, 'QR');
    const qr = await acc.get(`/channels/${channel.id}/session/qr`);
    expect(qr.status).toBe(200);
    expect(qr.body.qr.split(',')).toHaveLength(5);
    const png = await fetch(`${t.baseUrl}/channels/${channel.id}/session/qr.png`, { headers: { authorization: `Bearer ${acc.key}` } });
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer()).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    await acc.post(`/sandbox/channels/${channel.id}/link`, {});
    await eventually(async () => events, (e) => e.some((x) => x.state === 'READY'), 10_000, 'READY over SSE');
    ctrl.abort();
    await reading;
    const states = events.map((e) => e.state);
    expect(states[0]).toBe('STOPPED');
    expect(states).toEqual(expect.arrayContaining(['STARTING', 'QR', 'AUTHENTICATED', 'READY']));
    expect(events.find((e) => e.state === 'QR').qr).toBe(qr.body.qr);

    // Another account sees nothing of this channel.
    const other = await accountClient(new ApiClient(t.baseUrl, t.adminKey), 'acc-onb-other');
    expect((await other.get(`/channels/${channel.id}/session`)).status).toBe(404);
    expect((await other.post(`/channels/${channel.id}/onboarding-link`, {})).status).toBe(404);
    expect((await other.post(`/sandbox/channels/${channel.id}/link`, {})).status).toBe(404);
    const otherStream = await fetch(`${t.baseUrl}/channels/${channel.id}/session/events`, { headers: { authorization: `Bearer ${other.key}` } });
    expect(otherStream.status).toBe(404);
    expect((await otherStream.json()).code).toBe('CHANNEL_NOT_FOUND');

    // Sessions show in readiness and metrics.
    const ready = await acc.withKey(undefined).get('/health/ready');
    expect(ready.body.details.sessions).toMatchObject({ status: 'up', engine: 'sandbox', READY: expect.any(Number) });
    const metrics = await (await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${t.adminKey}` } })).text();
    expect(metrics).toMatch(/whatsapp_sessions\{state="READY"\} [1-9]/);
    expect(metrics).toMatch(/whatsapp_session_transitions_total\{state="READY",reason="CONNECTED"\} [1-9]/);
  });
});
