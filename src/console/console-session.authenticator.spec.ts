import type { ApiKeysService } from '../accounts/api-keys.service';
import type { AppConfig } from '../config/app-config';
import { ConsoleCookie } from './console-cookie';
import { ConsoleRequest, ConsoleSessionAuthenticator, fingerprint, fromOwnOrigin } from './console-session.authenticator';
import type { ConsoleSessionRecord, ConsoleSessionStore } from './console-session.store';

const config = {
  http: { publicBaseUrl: 'https://console.example.com' },
  security: { adminApiKey: 'admin-key', linkSigningSecret: 'link-secret-0123456789abcdefghijklmnopqrstuv' },
} as unknown as AppConfig;

function request(fields: { method?: string; headers?: Record<string, string> }): ConsoleRequest {
  return { method: fields.method ?? 'GET', protocol: 'http', headers: { host: '127.0.0.1:3000', ...(fields.headers ?? {}) } } as unknown as ConsoleRequest;
}

describe('fromOwnOrigin', () => {
  it('accepts the origin the server was reached at, or PUBLIC_BASE_URL, and nothing else', () => {
    expect(fromOwnOrigin(request({ headers: { origin: 'http://127.0.0.1:3000' } }), config.http.publicBaseUrl)).toBe(true);
    expect(fromOwnOrigin(request({ headers: { origin: 'https://console.example.com' } }), config.http.publicBaseUrl)).toBe(true);
    expect(fromOwnOrigin(request({ headers: { origin: 'https://console.example.com.evil.io' } }), config.http.publicBaseUrl)).toBe(false);
    expect(fromOwnOrigin(request({ headers: {} }), config.http.publicBaseUrl)).toBe(false);
    expect(fromOwnOrigin(request({ headers: { origin: 'null' } }), config.http.publicBaseUrl)).toBe(false);
    expect(fromOwnOrigin(request({ headers: { origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-site' } }), config.http.publicBaseUrl)).toBe(false);
  });
});

describe('ConsoleSessionAuthenticator', () => {
  const cookie = new ConsoleCookie(config);
  const sessions = new Map<string, ConsoleSessionRecord>();
  const store = {
    touch: async (id: string) => sessions.get(id),
    delete: async (id: string) => void sessions.delete(id),
  } as unknown as ConsoleSessionStore;
  const active = new Set<string>(['key-1']);
  const keys = { isActive: async (id: string) => active.has(id) } as unknown as ApiKeysService;
  const sut = new ConsoleSessionAuthenticator(cookie, store, keys, config);

  /** The Cookie header a browser would send for a session id (signed like the real answer). */
  function cookieFor(id: string): string {
    const res = { cookie: (name: string, value: string) => (header = `${name}=${encodeURIComponent(value)}`) };
    let header = '';
    cookie.write(request({}), res as never, id);
    return header;
  }

  beforeEach(() => {
    sessions.clear();
    sessions.set('sid-account', { kind: 'account', clientIdentifier: 'acc', keyId: 'key-1', csrfToken: 'tok', createdAt: Date.now() });
    sessions.set('sid-admin', { kind: 'admin', adminFingerprint: fingerprint('admin-key'), csrfToken: 'tok2', createdAt: Date.now() });
  });

  it('marks the cookie Secure when PUBLIC_BASE_URL is https, httpOnly and SameSite=Strict always', () => {
    let options: Record<string, unknown> = {};
    cookie.write(request({}), { cookie: (_n: string, _v: string, o: Record<string, unknown>) => (options = o) } as never, 'sid');
    expect(options).toMatchObject({ httpOnly: true, sameSite: 'strict', secure: true, path: '/' });
  });

  it('has nothing to say about a request without the cookie', async () => {
    await expect(sut.authenticate(request({}))).resolves.toBeUndefined();
  });

  it('turns a valid session into its principal, GETs without a token', async () => {
    await expect(sut.authenticate(request({ headers: { cookie: cookieFor('sid-account') } }))).resolves.toEqual({ kind: 'account', clientIdentifier: 'acc', keyId: 'key-1' });
    await expect(sut.authenticate(request({ headers: { cookie: cookieFor('sid-admin') } }))).resolves.toEqual({ kind: 'admin' });
  });

  it('refuses an unsigned or forged cookie and an unknown session', async () => {
    await expect(sut.authenticate(request({ headers: { cookie: 'omc_console=sid-account' } }))).rejects.toMatchObject({ code: 'CONSOLE_SESSION_INVALID' });
    await expect(sut.authenticate(request({ headers: { cookie: cookieFor('sid-account').replace(/.$/, (c) => (c === 'x' ? 'y' : 'x')) } }))).rejects.toMatchObject({ code: 'CONSOLE_SESSION_INVALID' });
    await expect(sut.authenticate(request({ headers: { cookie: cookieFor('sid-gone') } }))).rejects.toMatchObject({ code: 'CONSOLE_SESSION_INVALID' });
  });

  it('needs the token and the origin for state changes', async () => {
    const headers = { cookie: cookieFor('sid-account'), origin: 'http://127.0.0.1:3000' };
    await expect(sut.authenticate(request({ method: 'POST', headers }))).rejects.toMatchObject({ code: 'CONSOLE_CSRF_FAILED', status: 403 });
    await expect(sut.authenticate(request({ method: 'DELETE', headers: { ...headers, 'x-csrf-token': 'tok2' } }))).rejects.toMatchObject({ code: 'CONSOLE_CSRF_FAILED' });
    await expect(sut.authenticate(request({ method: 'PATCH', headers: { cookie: headers.cookie, 'x-csrf-token': 'tok' } }))).rejects.toMatchObject({ code: 'CONSOLE_CSRF_FAILED' });
    await expect(sut.authenticate(request({ method: 'PUT', headers: { ...headers, 'x-csrf-token': 'tok' } }))).resolves.toMatchObject({ kind: 'account' });
  });

  it('ends the session of a revoked key and of a changed admin key', async () => {
    active.delete('key-1');
    await expect(sut.authenticate(request({ headers: { cookie: cookieFor('sid-account') } }))).rejects.toMatchObject({ code: 'CONSOLE_SESSION_REVOKED' });
    expect(sessions.has('sid-account')).toBe(false);
    active.add('key-1');
    sessions.set('sid-admin', { ...sessions.get('sid-admin')!, adminFingerprint: fingerprint('old-admin-key') });
    await expect(sut.authenticate(request({ headers: { cookie: cookieFor('sid-admin') } }))).rejects.toMatchObject({ code: 'CONSOLE_SESSION_REVOKED' });
  });
});
