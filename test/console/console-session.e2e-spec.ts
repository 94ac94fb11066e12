import { accountClient, ApiClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { sessionCookie } from './console-support';

const ACCOUNT = 'console-acc-a';
const OTHER = 'console-acc-b';

/** Cookie sessions of the operator console over real HTTP: flags, CSRF, isolation, revocation, headers. */
describe('console sessions', () => {
  let t: TestApp;
  let admin: ApiClient;
  let account: ApiClient;
  let other: ApiClient;
  let origin: string;
  let channelId: string;
  let otherChannelId: string;

  async function call(method: string, path: string, opts: { cookie?: string; csrf?: string; origin?: string | null; body?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.csrf) headers['x-csrf-token'] = opts.csrf;
    if (opts.origin !== null) headers.origin = opts.origin ?? origin;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${t.baseUrl}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  async function signIn(key: string) {
    const res = await call('POST', '/console/api/session', { body: { key } });
    expect(res.status).toBe(200);
    return { cookie: sessionCookie(res.headers), csrf: res.body.csrfToken as string, body: res.body };
  }

  const setup = (client: ApiClient, number: string) =>
    client.post('/channels/setup/whatsappweb', {
      provider: { clientNumber: number, companyId: 'c' },
      startingPlatform: 'karoochat',
      platforms: [{ slug: 'karoochat', callbackUrl: 'https://example.com/hook' }],
    });

  beforeAll(async () => {
    t = await startTestApp('consolesess');
    origin = t.baseUrl;
    admin = new ApiClient(t.baseUrl, t.adminKey);
    account = await accountClient(admin, ACCOUNT);
    other = await accountClient(admin, OTHER);
    channelId = (await setup(account, '5521911110001')).body.channelId;
    otherChannelId = (await setup(other, '5521911110002')).body.channelId;
  });

  afterAll(async () => {
    await t?.close();
  });

  it('exchanges a key for an httpOnly, SameSite=Strict, signed cookie; the key is not echoed', async () => {
    const res = await call('POST', '/console/api/session', { body: { key: account.key } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ kind: 'account', clientIdentifier: ACCOUNT, csrfToken: expect.any(String), sandbox: true });
    const { pair, attributes } = sessionCookie(res.headers);
    expect(pair).toMatch(/^omc_console=s%3A[A-Za-z0-9_-]{43}\.[A-Za-z0-9%+/=_-]+$/);
    expect(attributes).toMatch(/HttpOnly/);
    expect(attributes).toMatch(/SameSite=Strict/);
    expect(attributes).toMatch(/Path=\//);
    expect(JSON.stringify(res.body)).not.toContain(account.key!);
  });

  it('refuses a bad key, and a sign-in posted from another origin (login CSRF)', async () => {
    expect(await call('POST', '/console/api/session', { body: { key: 'omk_nope' } })).toMatchObject({ status: 401, body: { code: 'INVALID_API_KEY' } });
    expect(await call('POST', '/console/api/session', { body: { key: account.key }, origin: 'https://evil.example' })).toMatchObject({ status: 403, body: { code: 'CONSOLE_CSRF_FAILED' } });
    expect(await call('POST', '/console/api/session', { body: { key: account.key }, origin: null })).toMatchObject({ status: 403, body: { code: 'CONSOLE_CSRF_FAILED' } });
  });

  it('authenticates the ordinary API with the cookie, within the account', async () => {
    const s = await signIn(account.key!);
    const mine = await call('GET', '/channels', { cookie: s.cookie.pair });
    expect(mine.status).toBe(200);
    expect(mine.body.map((c: { id: string }) => c.id)).toEqual([channelId]);
    expect((await call('GET', `/channels/${otherChannelId}`, { cookie: s.cookie.pair })).status).toBe(404);
    expect(await call('GET', '/channels', { cookie: s.cookie.pair, headers: { 'x-client-identifier': OTHER } })).toMatchObject({ status: 403, body: { code: 'ACCOUNT_MISMATCH' } });
    expect(await call('GET', '/api-keys?clientIdentifier=' + ACCOUNT, { cookie: s.cookie.pair })).toMatchObject({ status: 403, body: { code: 'ADMIN_KEY_REQUIRED' } });
    expect(await call('GET', '/console/api/accounts', { cookie: s.cookie.pair })).toMatchObject({ status: 403, body: { code: 'ADMIN_KEY_REQUIRED' } });
    const rows = await call('GET', '/console/api/channels', { cookie: s.cookie.pair });
    expect(rows.body).toEqual([expect.objectContaining({ id: channelId, number: '5521911110001', state: 'STOPPED', queueDepth: 0 })]);
  });

  it('needs the CSRF token and the own origin for every state change', async () => {
    const s = await signIn(account.key!);
    const path = `/console/api/channels/${channelId}/platforms/karoochat/test-event`;
    expect(await call('POST', path, { cookie: s.cookie.pair, body: {} })).toMatchObject({ status: 403, body: { code: 'CONSOLE_CSRF_FAILED' } });
    expect(await call('POST', path, { cookie: s.cookie.pair, csrf: 'x'.repeat(43), body: {} })).toMatchObject({ status: 403, body: { code: 'CONSOLE_CSRF_FAILED' } });
    expect(await call('POST', path, { cookie: s.cookie.pair, csrf: s.csrf, origin: 'https://evil.example', body: {} })).toMatchObject({ status: 403 });
    expect(await call('POST', path, { cookie: s.cookie.pair, csrf: s.csrf, headers: { 'sec-fetch-site': 'cross-site' }, body: {} })).toMatchObject({ status: 403 });
    expect(await call('PATCH', `/channels/${channelId}`, { cookie: s.cookie.pair, body: { description: 'x' } })).toMatchObject({ status: 403 });
    const ok = await call('POST', path, { cookie: s.cookie.pair, csrf: s.csrf, body: { note: 'hi' } });
    expect(ok).toMatchObject({ status: 202, body: { eventId: expect.stringMatching(/^evt_/), created: true } });
    const event = await account.get(`/webhooks/events/${ok.body.eventId}`);
    expect(event.body).toMatchObject({ type: 'webhook.test', platform: 'karoochat', payload: { type: 'webhook.test', data: { test: true, note: 'hi' } } });
  });

  it('refuses a tampered cookie; sign-out deletes the session server-side', async () => {
    const s = await signIn(account.key!);
    const tampered = s.cookie.pair.replace(/s%3A./, (m) => (m.endsWith('A') ? m.slice(0, -1) + 'B' : m.slice(0, -1) + 'A'));
    expect(await call('GET', '/channels', { cookie: tampered })).toMatchObject({ status: 401, body: { code: 'CONSOLE_SESSION_INVALID' } });
    expect((await call('DELETE', '/console/api/session', { cookie: s.cookie.pair })).status).toBe(403);
    const out = await call('DELETE', '/console/api/session', { cookie: s.cookie.pair, csrf: s.csrf });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/omc_console=;/);
    // The same cookie, replayed after sign-out, is dead.
    expect(await call('GET', '/channels', { cookie: s.cookie.pair })).toMatchObject({ status: 401, body: { code: 'CONSOLE_SESSION_INVALID' } });
  });

  it('ends the sessions of a revoked key', async () => {
    const created = await admin.post('/api-keys', { clientIdentifier: ACCOUNT, name: 'to-revoke' });
    const s = await signIn(created.body.key);
    expect((await call('GET', '/channels', { cookie: s.cookie.pair })).status).toBe(200);
    expect((await admin.delete(`/api-keys/${created.body.id}`)).status).toBe(200);
    expect(await call('GET', '/channels', { cookie: s.cookie.pair })).toMatchObject({ status: 401, body: { code: 'CONSOLE_SESSION_REVOKED' } });
    expect(await call('GET', '/channels', { cookie: s.cookie.pair })).toMatchObject({ status: 401, body: { code: 'CONSOLE_SESSION_INVALID' } });
  });

  it('lets the admin list accounts and act on the one it names', async () => {
    const s = await signIn(t.adminKey);
    expect(s.body).toEqual({ kind: 'admin', csrfToken: expect.any(String), sandbox: true });
    const accounts = await call('GET', '/console/api/accounts', { cookie: s.cookie.pair });
    expect(accounts.body.data).toEqual(expect.arrayContaining([ACCOUNT, OTHER]));
    expect(await call('GET', '/console/api/channels', { cookie: s.cookie.pair })).toMatchObject({ status: 400, body: { code: 'ACCOUNT_REQUIRED' } });
    const rows = await call('GET', '/console/api/channels', { cookie: s.cookie.pair, headers: { 'x-client-identifier': OTHER } });
    expect(rows.body.map((r: { id: string }) => r.id)).toEqual([otherChannelId]);
  });

  it('answers without a session: the page is public, the API is not', async () => {
    expect(await call('GET', '/console/api/channels', { origin: null })).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
    expect(await call('GET', '/console/api/session', { origin: null })).toMatchObject({ status: 401 });
    // An API key works on the console's reads too, but there is no console session to show.
    expect(await account.get('/console/api/session')).toMatchObject({ status: 401, body: { code: 'CONSOLE_SESSION_REQUIRED' } });
  });

  it('serves /console with a strict CSP and security headers (no inline script allowed)', async () => {
    const res = await fetch(`${t.baseUrl}/console`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect((await fetch(`${t.baseUrl}/console/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
  });
});
