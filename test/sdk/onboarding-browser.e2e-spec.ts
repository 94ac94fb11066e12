import { SetupApi } from '@cirrus/omnichannel_api';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, ConsoleMessage, Page } from 'playwright-core';
import { accountClient, ApiClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { browserModule, buildBrowserBundle, close, PlatformSite, startPlatformSite, startPublicProxy } from './support/browser-harness';

jest.setTimeout(90_000);

const ACCOUNT = '9a92ea44-244c-4cda-86be-6a9e32ba8f34';

/**
 * The platform's page: the guide's example module and the SDK's browser build through an import
 * map, configured with this origin's /omnichannel proxy (its backend adds the key). Clicking
 * #connect runs the guide's example; #custom runs `window.customOnboarding` (set by a test).
 */
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="importmap">{ "imports": { "@cirrus/omnichannel_api": "/sdk/omnichannel-api.mjs" } }</script>
</head><body><button id="connect">Conectar WhatsApp</button><button id="custom">custom</button>
<script type="module">
import { configure, WhatsappWebUtils } from '@cirrus/omnichannel_api';
import { runOnboardingExample } from '/onboarding.example.js';
configure({ baseUrl: location.origin + '/omnichannel' });
const ids = Object.fromEntries(new URLSearchParams(location.search));
document.getElementById('connect').addEventListener('click', () => {
  window.exampleDone = runOnboardingExample(ids).then(() => 'resolved', (e) => 'rejected: ' + e);
});
document.getElementById('custom').addEventListener('click', () => {
  window.customDone = window.customOnboarding(WhatsappWebUtils.getInstance());
});
window.sdkReady = true;
</script></body></html>`;

/** The classic-script build (IIFE): `window.OmnichannelApi`, no module loader. */
const CLASSIC_PAGE = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="/sdk/omnichannel-api.js"></script>
<script>
OmnichannelApi.configure({ baseUrl: location.origin + '/omnichannel' });
window.result = OmnichannelApi.TagApi.getInstance().create({ name: 'Do navegador', color: '#0f0' })
  .then(function (tag) { return OmnichannelApi.TagApi.getInstance().getById({ tagId: tag.id }); })
  .then(function (tag) { return { name: tag.name, color: tag.color }; });
</script></head><body></body></html>`;

/**
 * A stand-in for the onboarding page on the platform's own origin, playing the messages given in its
 * hash ('close' closes it): the SDK's side of the postMessage protocol, step by step.
 */
const SCRIPTED_PAGE = `<!doctype html><html><head><link rel="icon" href="data:,"></head><body><script>
const steps = JSON.parse(decodeURIComponent(location.hash.slice(1)));
(function next() {
  const step = steps.shift();
  if (!step) return;
  if (step === 'close') return window.close();
  window.opener.postMessage(Object.assign({ source: 'omnichannel-onboarding', version: 1, channelId: '64ef5c84f9deb1326965919e' }, step), '*');
  setTimeout(next, 50);
})();
</script></body></html>`;

interface Logged {
  type: string;
  text: string;
  /** The error passed to onError (`console.error('Erro na conexão:', error)`), read in the page. */
  error?: { name: string; code: string; status: number; message: string };
}

function recordConsole(page: Page): { logs: Logged[]; waitFor(match: (l: Logged) => boolean, timeoutMs?: number): Promise<Logged> } {
  const logs: Logged[] = [];
  const pending: Promise<void>[] = [];
  page.on('console', (msg: ConsoleMessage) => {
    const entry: Logged = { type: msg.type(), text: msg.text() };
    const [, second] = msg.args();
    if (second)
      pending.push(
        second
          .evaluate((e: any) => (e && typeof e === 'object' && 'code' in e ? { name: e.name, code: e.code, status: e.status, message: e.message } : undefined))
          .then((error) => void (entry.error = error))
          .catch(() => undefined),
      );
    logs.push(entry);
  });
  return {
    logs,
    async waitFor(match, timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs;
      while (Date.now() < end) {
        await Promise.all(pending);
        const found = logs.find(match);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no such console message; got ${JSON.stringify(logs)}`);
    },
  };
}

describe('guide 1.2: WhatsappWebUtils.onboarding in headless Chromium, from the browser build', () => {
  let t: TestApp;
  let account: ApiClient;
  let site: PlatformSite;
  let publicProxy: { server: import('node:http').Server; origin: string };
  let browser: Browser;
  let setupApi: SetupApi;
  let sdkDir: string;

  beforeAll(async () => {
    sdkDir = buildBrowserBundle();
    const example = await browserModule(join(__dirname, 'guide-examples/onboarding.example.ts'));
    let appUrl = '';
    let apiKey = '';
    publicProxy = await startPublicProxy(() => appUrl);
    site = await startPlatformSite({ pages: { '/': PAGE, '/classic': CLASSIC_PAGE, '/scripted-onboarding': SCRIPTED_PAGE }, modules: { '/onboarding.example.js': example }, sdkDir, apiBaseUrl: () => appUrl, apiKey: () => apiKey });
    t = await startTestApp('sdkonboard', { WHATSAPP_ENGINE: 'sandbox', PUBLIC_BASE_URL: publicProxy.origin });
    appUrl = t.baseUrl;
    account = await accountClient(new ApiClient(t.baseUrl, t.adminKey), ACCOUNT);
    apiKey = account.key!;
    setupApi = new SetupApi(new (await import('@cirrus/omnichannel_api')).OmnichannelClient({ baseUrl: t.baseUrl, apiKey }));
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  });

  afterAll(async () => {
    await browser?.close();
    await close(site?.server);
    await close(publicProxy?.server);
    await t?.close();
    if (sdkDir) rmSync(sdkDir, { recursive: true, force: true });
  });

  it('loads the classic-script build as window.OmnichannelApi and calls the server through it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${site.origin}/classic`);
    expect(await page.evaluate(() => (window as any).result)).toEqual({ name: 'Do navegador', color: '#0f0' });
    await context.close();
  });

  async function channel(clientNumber: string) {
    return setupApi.setup({
      provider: { clientNumber, companyId: 'my_company_id' },
      startingPlatform: 'karoochat',
      platforms: [{ slug: 'karoochat', callbackUrl: 'https://myapp.com/webhook' }],
    });
  }

  async function openSite(query: Record<string, string> = {}) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const console = recordConsole(page);
    await page.goto(`${site.origin}/?${new URLSearchParams(query)}`);
    await page.waitForFunction(() => (window as any).sdkReady === true);
    return { context, page, console };
  }

  it('runs the guide example: the popup shows the onboarding page, and onConnect fires once the sandbox links the channel', async () => {
    const platformConfig = await channel('5521999999999');
    const { context, page, console } = await openSite({ channelId: platformConfig.channelId, platformConfigId: platformConfig.platformConfigId });

    const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#connect')]);
    await popup.waitForURL(`${publicProxy.origin}/onboarding/**`);
    expect(new URL(popup.url()).origin).not.toBe(site.origin);
    // The page is live (QR on screen) before the "phone" links: onConnect must not have fired yet.
    await popup.waitForFunction(() => !(document.getElementById('qr') as HTMLImageElement).hidden, undefined, { timeout: 30_000 });
    expect(console.logs.map((l) => l.text)).not.toContain('WhatsApp Web conectado com sucesso!');

    const linked = await account.post(`/sandbox/channels/${platformConfig.channelId}/link`, {});
    expect(linked.status).toBe(200);
    expect(linked.body.state).toBe('READY');

    const connected = await console.waitFor((l) => l.text === 'WhatsApp Web conectado com sucesso!');
    expect(connected.type).toBe('log');
    expect(await page.evaluate(() => (window as any).exampleDone)).toBe('resolved');
    expect(console.logs.filter((l) => l.type === 'error')).toEqual([]);
    await context.close();
  });

  it('calls onError when the browser blocks the popup', async () => {
    const platformConfig = await channel('5521988880001');
    const { context, page, console } = await openSite({ channelId: platformConfig.channelId, platformConfigId: platformConfig.platformConfigId });
    // What a popup blocker does: window.open answers null.
    await page.evaluate(() => (window.open = () => null));
    await page.click('#connect');
    const failed = await console.waitFor((l) => l.text.startsWith('Erro na conexão:'));
    expect(failed).toMatchObject({ type: 'error', error: { name: 'OmnichannelError', code: 'ONBOARDING_POPUP_BLOCKED', status: 0 } });
    expect(await page.evaluate(() => (window as any).exampleDone)).toBe('resolved');
    await context.close();
  });

  it('calls onError when the popup is closed before the channel connects (channel found from providerId alone)', async () => {
    await channel('5521988880002');
    const { context, page } = await openSite();
    await page.evaluate(() => {
      (window as any).customOnboarding = (utils: any) =>
        new Promise((resolve) =>
          utils.onboarding({ providerId: '+55 21 98888-0002', onConnect: () => resolve({ connected: true }), onError: (e: any) => resolve({ code: e.code, status: e.status }) }),
        );
    });
    const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#custom')]);
    await popup.waitForURL(`${publicProxy.origin}/onboarding/**`);
    await popup.close();
    expect(await page.evaluate(() => (window as any).customDone)).toEqual({ code: 'ONBOARDING_POPUP_CLOSED', status: 0 });
    await context.close();
  });

  it("calls onError with the page's code when the link is not valid, and with the server's code when no link can be made", async () => {
    const { context, page } = await openSite();
    await page.evaluate((publicOrigin) => {
      (window as any).customOnboarding = async (utils: any) => {
        const outcome = (props: object) =>
          new Promise((resolve) => utils.onboarding({ ...props, onConnect: () => resolve({ connected: true }), onError: (e: any) => resolve({ code: e.code, status: e.status }) }));
        return {
          invalidLink: await outcome({ channelId: '64ef5c84f9deb1326965919e', createLink: async () => ({ url: `${publicOrigin}/onboarding/not-a-token` }) }),
          unknownChannel: await outcome({ channelId: '64ef5c84f9deb1326965919e' }),
          unknownNumber: await outcome({ providerId: '5511900000000' }),
        };
      };
    }, publicProxy.origin);
    await page.click('#custom');
    expect(await page.evaluate(() => (window as any).customDone)).toEqual({
      invalidLink: { code: 'ONBOARDING_LINK_INVALID', status: 0 },
      unknownChannel: { code: 'CHANNEL_NOT_FOUND', status: 404 },
      unknownNumber: { code: 'ONBOARDING_CHANNEL_UNRESOLVED', status: 404 },
    });
    await context.close();
  });

  it('follows the page protocol: an error is not final (Try again can connect), a reported error is not repeated on close, other windows are ignored', async () => {
    const { context, page } = await openSite();
    await page.evaluate(() => {
      (window as any).customOnboarding = async (utils: any) => {
        const run = async (steps: unknown[], spoof = false) => {
          const calls: string[] = [];
          if (spoof) setTimeout(() => window.postMessage({ source: 'omnichannel-onboarding', version: 1, type: 'connected' }, '*'), 10);
          const result = await utils.onboarding({
            channelId: '64ef5c84f9deb1326965919e',
            createLink: async () => ({ url: `${location.origin}/scripted-onboarding#${encodeURIComponent(JSON.stringify(steps))}`, channelId: '64ef5c84f9deb1326965919e' }),
            onStatus: (m: any) => calls.push(`status:${m.state}`),
            onConnect: () => calls.push('connect'),
            onError: (e: any) => calls.push(`error:${e.code}`),
          });
          return { calls, connected: result.connected, code: result.error?.code };
        };
        return {
          retried: await run([{ type: 'status', state: 'QR' }, { type: 'error', state: 'STOPPED', error: { code: 'QR_TIMEOUT', message: 'x' } }, { type: 'status', state: 'STARTING' }, { type: 'connected', state: 'READY', me: '5521999999999@c.us' }]),
          failedThenClosed: await run([{ type: 'error', state: 'FAILED', error: { code: 'SESSION_FAILED', message: 'x' } }, 'close']),
          spoofed: await run([{ type: 'status', state: 'QR' }, 'close'], true),
        };
      };
    });
    await page.click('#custom');
    expect(await page.evaluate(() => (window as any).customDone)).toEqual({
      retried: { calls: ['status:QR', 'error:QR_TIMEOUT', 'status:STARTING', 'connect'], connected: true },
      failedThenClosed: { calls: ['error:SESSION_FAILED'], connected: false, code: 'SESSION_FAILED' },
      spoofed: { calls: ['status:QR', 'error:ONBOARDING_POPUP_CLOSED'], connected: false, code: 'ONBOARDING_POPUP_CLOSED' },
    });
    await context.close();
  });
});
