import axe from 'axe-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { WebhookReceiver } from '../webhooks/receiver';
import { accountClient, ApiClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { assetSizes, buildConsole, ROOT } from './console-support';

jest.setTimeout(180_000);

const ACCOUNT = 'console-browser-acc';
const SHOTS = join(ROOT, 'tmp', 'console-screenshots');
/** Gzipped JS + CSS the console may ship (measured about 18 kB when this was set). */
const BUNDLE_BUDGET_GZIP = 25 * 1024;
const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

/**
 * The operator console in Debian's Chromium against a real server in sandbox mode: sign in,
 * create a channel, link it from the QR via the sandbox, READY arriving live, a test event
 * delivered with a 2xx, a broken receiver and a replay, sign-out. Every page is screenshotted
 * (tmp/console-screenshots, desktop and phone width) and checked with axe-core.
 */
describe('operator console in the browser', () => {
  let t: TestApp;
  let account: ApiClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let receiver: WebhookReceiver;
  const seriousViolations: { page: string; id: string; impact: string; nodes: string[] }[] = [];
  const metrics: Record<string, unknown> = {};
  /** Script errors and console errors, CSP refusals included (expected 401s of signed-out calls excepted). */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    buildConsole();
    mkdirSync(SHOTS, { recursive: true });
    receiver = await new WebhookReceiver().start();
    // One attempt per event: a failure is final (dead) at once, so the replay is what delivers it.
    t = await startTestApp('consolebrowser', { WEBHOOK_RETRY_DELAYS_MS: '0' });
    account = await accountClient(new ApiClient(t.baseUrl, t.adminKey), ACCOUNT);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    context = await browser.newContext({ viewport: WIDTHS.desktop, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) pageErrors.push(msg.text());
    });
  });

  afterAll(async () => {
    writeFileSync(join(SHOTS, 'metrics.json'), JSON.stringify({ ...metrics, seriousViolations }, null, 2));
    await context?.close();
    await browser?.close();
    await t?.close();
    await receiver?.stop();
  });

  /** Screenshots at both widths and an axe-core run; serious or critical violations are collected. */
  async function check(name: string): Promise<void> {
    await page.waitForLoadState('networkidle').catch(() => undefined);
    for (const [label, size] of Object.entries(WIDTHS)) {
      await page.setViewportSize(size);
      await page.screenshot({ path: join(SHOTS, `${name}-${label}.png`), fullPage: true });
      // Nothing may overflow sideways at phone width except scrollable tables.
      if (label === 'phone') {
        const overflowing = await page.evaluate(() =>
          [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.table-wrap'))
            .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
            .slice(0, 5),
        );
        expect({ page: name, overflowing }).toEqual({ page: name, overflowing: [] });
      }
    }
    await page.setViewportSize(WIDTHS.desktop);
    // Devtools evaluation is not subject to the page's CSP, so axe runs without weakening it.
    await page.evaluate(axe.source);
    const results = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }));
    for (const v of results.violations)
      if (v.impact === 'serious' || v.impact === 'critical') seriousViolations.push({ page: name, id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.html).slice(0, 3) });
  }

  async function go(hash: string, ready: string): Promise<void> {
    await page.evaluate((h) => (location.hash = h), hash);
    await page.waitForSelector(ready);
  }

  it('ships a small bundle: gzipped JS + CSS within the budget, no inline script in the page', () => {
    const sizes = assetSizes();
    const gzip = sizes.filter((s) => /\.(js|css)$/.test(s.file)).reduce((n, s) => n + s.gzip, 0);
    metrics.bundle = { files: sizes, gzipTotal: gzip, budget: BUNDLE_BUDGET_GZIP };
    console.log(`console bundle: ${sizes.map((s) => `${s.file} ${s.bytes} B (${s.gzip} B gz)`).join(', ')}; total ${gzip} B gz, budget ${BUNDLE_BUDGET_GZIP}`);
    expect(gzip).toBeGreaterThan(1000);
    expect(gzip).toBeLessThanOrEqual(BUNDLE_BUDGET_GZIP);
  });

  it('runs the whole loop: sign in, create and link a channel, test event, break and replay, sign out', async () => {
    const started = Date.now();
    await page.goto(`${t.baseUrl}/console`);
    await page.waitForSelector('#key');
    metrics.signInPageLoadMs = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return Math.round(nav.loadEventEnd - nav.startTime);
    });
    metrics.signInPageVisibleMs = Date.now() - started;
    await check('sign-in');

    // A wrong key is refused in place.
    await page.fill('#key', 'omk_wrong');
    await page.click('button[type=submit]');
    await page.waitForSelector('[role=alert]');
    expect(await page.textContent('[role=alert]')).toContain('INVALID_API_KEY');

    await page.fill('#key', account.key!);
    const signInAt = Date.now();
    await page.click('button[type=submit]');
    await page.waitForSelector('#new-channel');
    metrics.channelsAfterSignInMs = Date.now() - signInAt;
    const cookies = await context.cookies();
    expect(cookies).toEqual([expect.objectContaining({ name: 'omc_console', httpOnly: true, sameSite: 'Strict' })]);
    // Nothing about the session is readable by script or kept in storage.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toContain('omk_');

    // Create a channel from the Channels page.
    await page.click('#new-channel');
    await page.fill('input[name=number]', '5521977770001');
    await page.fill('input[name=company]', 'acme');
    await page.fill('input[name=slug]', 'karoochat');
    await page.fill('input[name=url]', `${receiver.url}/hook`);
    await page.click('form[aria-label="New channel"] button[type=submit]');
    await page.waitForURL(/#\/channels\/[0-9a-f]{24}$/);
    const channelId = page.url().split('/').pop()!;
    await page.waitForSelector('#session-state .badge');
    expect(await page.textContent('#session-state')).toContain('STOPPED');

    // Start the session (confirmed), see the QR, link it through the sandbox phone, READY arrives live.
    await page.click('#session-start');
    await page.click('#confirm-yes');
    const qr = await page.waitForSelector('#qr', { timeout: 60_000 });
    await page.waitForFunction(() => (document.getElementById('qr') as HTMLImageElement | null)?.naturalWidth === 320, undefined, { timeout: 30_000 });
    expect(await qr.getAttribute('alt')).toBe('QR code to link WhatsApp');
    await check('channel-qr');
    await page.click('#sandbox-link');
    await page.waitForFunction(() => document.getElementById('session-state')?.textContent?.includes('READY'), undefined, { timeout: 60_000 });
    expect(await page.$('#qr')).toBeNull();

    // The Channels page shows it READY, with a live stream open.
    await go('#/channels', `tr[data-channel="${channelId}"]`);
    await page.waitForSelector('.live');
    expect(await page.textContent(`tr[data-channel="${channelId}"]`)).toContain('READY');
    await page.fill('#channel-search', 'no-such-channel');
    await page.waitForSelector('#channels-table', { state: 'detached' });
    await page.fill('#channel-search', '77770001');
    await page.waitForSelector(`tr[data-channel="${channelId}"]`);
    await check('channels');

    // Send a test event from the channel page; it shows in Deliveries with a 2xx.
    await go(`#/channels/${channelId}`, '.test-event');
    const before = receiver.ofType('webhook.test').length;
    await page.click('.test-event');
    const queued = await page.waitForSelector('[data-slug=karoochat] [role=status]');
    const firstEvent = (await queued.textContent())!.match(/evt_[0-9a-f]{32}/)![0];
    await waitFor(() => receiver.ofType('webhook.test').length > before);
    await check('channel');

    await go('#/deliveries', '#events-table');
    await page.selectOption('#filter-type', 'webhook.test');
    await refreshUntil(`tr[data-event="${firstEvent}"][data-state=delivered]`);
    expect(await page.textContent(`tr[data-event="${firstEvent}"][data-state=delivered] .http-status`)).toBe('200');
    await page.click(`tr[data-event="${firstEvent}"] button[aria-expanded]`);
    await page.waitForSelector('.detail pre');
    expect(await page.textContent('.detail pre')).toContain('"type": "webhook.test"');
    await check('deliveries');

    // Break the receiver: the next test event fails (one attempt: dead) with its 500 in the log.
    receiver.reply = () => ({ status: 500, body: 'broken' });
    await go(`#/channels/${channelId}`, '.test-event');
    await page.click('.test-event');
    const second = (await (await page.waitForSelector('[data-slug=karoochat] [role=status]')).textContent())!.match(/evt_[0-9a-f]{32}/)![0];
    expect(second).not.toBe(firstEvent);
    await go('#/deliveries', '#filter-type');
    await page.selectOption('#filter-type', 'webhook.test');
    await refreshUntil(`tr[data-event="${second}"][data-state=dead]`);
    expect(await page.textContent(`tr[data-event="${second}"][data-state=dead] .http-status`)).toBe('500');

    // Fix it and replay from the log: delivered, same webhook-id.
    receiver.reply = () => ({ status: 200 });
    await page.click(`tr[data-event="${second}"] .replay`);
    await page.waitForSelector('#deliveries-note');
    await refreshUntil(`tr[data-event="${second}"][data-state=delivered]`);
    expect(await page.textContent(`tr[data-event="${second}"][data-state=delivered] .http-status`)).toBe('200');
    expect(receiver.received.filter((r) => r.headers['webhook-id'] === second).length).toBe(2);

    // Replay failed since: everything failed for the endpoint is delivered again.
    receiver.reply = () => ({ status: 503, body: 'down' });
    await go(`#/channels/${channelId}`, '.test-event');
    await page.click('.test-event');
    const third = (await (await page.waitForSelector('[data-slug=karoochat] [role=status]')).textContent())!.match(/evt_[0-9a-f]{32}/)![0];
    await waitFor(async () => (await account.get(`/webhooks/events/${third}`)).body.state === 'dead');
    receiver.reply = () => ({ status: 200 });
    await go(`#/deliveries?channelId=${channelId}`, '#filter-platform');
    await page.selectOption('#filter-platform', 'karoochat');
    await page.fill('#filter-since', '2000-01-01T00:00');
    await page.click('#replay-failed');
    await page.waitForFunction(() => /Replayed: [1-9]/.test(document.getElementById('deliveries-note')?.textContent ?? ''));
    await waitFor(async () => (await account.get(`/webhooks/events/${third}`)).body.state === 'delivered');

    // Outbound: a send that failed (a group the number is not in) is listed with its reason and a Retry
    // button; once the number has joined the group, Retry sends it under the same id.
    const group = '120363099999999991@g.us';
    const failing = await account.post('/messages/group', { channelId, recipientNumber: group, platform: 'karoochat', text: 'Oferta do console' });
    expect(failing.status).toBe(202);
    const failedId = failing.body.id as string;
    await waitFor(async () => (await account.get(`/messages/${failedId}`)).body.status === 'failed');
    await go('#/outbound', '#queues-table');
    const failedRow = `tr[data-message="${failedId}"]`;
    await page.waitForSelector(failedRow);
    expect(await page.textContent(failedRow)).toContain('ENGINE_ERROR');
    await check('outbound');
    expect((await account.put(`/sandbox/channels/${channelId}/groups`, { id: group, subject: 'Ofertas', participants: ['5521911112222'] })).status).toBe(204);
    await page.click(`${failedRow} .retry`);
    await page.waitForFunction((id) => document.getElementById('outbound-note')?.textContent?.includes(id), failedId);
    await waitFor(async () => ['sent', 'delivered', 'read'].includes((await account.get(`/messages/${failedId}`)).body.status));
    await page.click('#h-outbound button');
    await page.waitForSelector(failedRow, { state: 'detached' });
    // Retrying it again is refused, and the page says why.
    const refused = await page.evaluate(async (id) => {
      const token = ((await (await fetch('/console/api/session')).json()) as { csrfToken: string }).csrfToken;
      const res = await fetch(`/messages/${id}/retry`, { method: 'POST', headers: { 'x-csrf-token': token } });
      return [res.status, ((await res.json()) as { code: string }).code];
    }, failedId);
    expect(refused).toEqual([409, 'MESSAGE_NOT_RETRYABLE']);
    await check('outbound-retried');

    // Every other page renders and passes the checks.
    await go('#/overview', '.stats');
    await check('overview');
    await go(`#/phone/${channelId}`, 'form.phone');
    await page.fill('form.phone textarea', 'Olá, do console');
    await page.click('form.phone button[type=submit]');
    await page.waitForFunction(() => /→ false_/.test(document.querySelector('main [role=status]')?.textContent ?? ''));
    await check('phone');

    // Portuguese.
    await page.selectOption('header select:not(#account)', 'pt');
    await page.waitForSelector('text=Canais');
    expect(await page.getAttribute('html', 'lang')).toBe('pt-BR');
    await check('phone-pt');
    await go('#/overview', '.stats');
    await check('overview-pt');

    // Keyboard: from a fresh load, Tab reaches the skip link, then the navigation, which follows Enter.
    await page.reload();
    await page.waitForSelector('.stats');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.reload();
    await page.waitForSelector('.stats');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Canais');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#channels-table');

    // The Channels page follows session changes live: a stop made elsewhere shows without a reload.
    await page.waitForSelector('.live');
    expect((await account.post(`/channels/${channelId}/session/stop`)).status).toBe(200);
    await page.waitForFunction((id) => document.querySelector(`tr[data-channel="${id}"] .badge`)?.textContent === 'STOPPED', channelId);

    // Sign out: back to the form, and the old cookie is dead server-side.
    const [cookie] = await context.cookies();
    await page.click('#sign-out');
    await page.waitForSelector('#key');
    expect(await context.cookies()).toEqual([]);
    const replayed = await fetch(`${t.baseUrl}/channels`, { headers: { cookie: `${cookie.name}=${cookie.value}` } });
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as { code: string }).code).toBe('CONSOLE_SESSION_INVALID');

    // The admin signs in with the admin key, picks the account and sees its channel.
    await page.fill('#key', t.adminKey);
    await page.click('button[type=submit]');
    await page.waitForFunction((acc) => Array.from((document.querySelector('#account') as HTMLSelectElement | null)?.options ?? []).some((o) => o.value === acc), ACCOUNT);
    await page.selectOption('#account', ACCOUNT);
    await go('#/channels', `tr[data-channel="${channelId}"]`);
    await page.click('#sign-out');
    await page.waitForSelector('#key');

    console.log(`console metrics: ${JSON.stringify(metrics)}`);
    expect(seriousViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('condition not met in time');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Presses the page's Refresh until the selector shows (deliveries are asynchronous). */
  async function refreshUntil(selector: string, timeoutMs = 30_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!(await page.$(selector))) {
      if (Date.now() > end) throw new Error(`${selector} did not appear`);
      await page.click('form.filters button[type=button]');
      await page.waitForTimeout(300);
    }
  }
});
