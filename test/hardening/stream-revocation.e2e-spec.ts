import { ApiClient } from '../harness/http';
import { startTestApp, testEnv, TestApp, TEST_ADMIN_KEY, uniqueDatabase } from '../harness/test-app';
import { sessionCookie } from '../console/console-support';
import { ensureBuilt, ServerProcess, setupChannel, spawnServer } from '../whatsapp/whatsapp-helpers';

jest.setTimeout(90_000);

/** The in-process window: CredentialWatch re-checks every 5 s, and revoking clears this process's cache. */
const LOCAL_WINDOW_MS = 5_000;
/** Any other process: the documented API key cache window. */
const KEY_WINDOW_MS = 30_000;

interface OpenStream {
  /** Every `status` event with the time it arrived. */
  events: { at: number; data: any }[];
  /** Resolves with the time the server ended the stream. */
  ended: Promise<number>;
  abort(): void;
}

async function openStream(url: string, headers: Record<string, string>): Promise<OpenStream> {
  const ctrl = new AbortController();
  const res = await fetch(url, { headers, signal: ctrl.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const events: { at: number; data: any }[] = [];
  const ended = (async () => {
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = block.split('\n').find((l) => l.startsWith('data:'));
        if (block.includes('event: status') && data) events.push({ at: Date.now(), data: JSON.parse(data.slice(5)) });
      }
    }
    return Date.now();
  })();
  return { events, ended, abort: () => ctrl.abort() };
}

async function until(ok: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Fails with `what` unless `promise` settles within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms))]);
}

describe('hardening: live streams end when their key is revoked', () => {
  let t: TestApp;
  let admin: ApiClient;
  const streams: OpenStream[] = [];

  beforeAll(async () => {
    t = await startTestApp('streamrevoke');
    admin = new ApiClient(t.baseUrl, t.adminKey);
  });
  afterAll(async () => {
    for (const s of streams) s.abort();
    await t.close();
  });

  async function newKey(clientIdentifier: string): Promise<{ id: string; key: string; client: ApiClient }> {
    const res = await admin.post('/api-keys', { clientIdentifier, name: 'stream' });
    expect(res.status).toBe(201);
    return { id: res.body.id, key: res.body.key, client: admin.withKey(res.body.key) };
  }

  it('ends GET /channels/:id/session/events, and no status or QR goes out after the revocation', async () => {
    const account = 'acc-stream-revoke';
    const { id, key, client } = await newKey(account);
    const channel = await setupChannel(client);
    const stream = await openStream(`${t.baseUrl}/channels/${channel.id}/session/events`, { authorization: `Bearer ${key}` });
    streams.push(stream);
    await until(() => stream.events.length > 0, 10_000, 'the first status event');
    expect(stream.events[0].data).toMatchObject({ channelId: channel.id, state: 'STOPPED' });

    expect((await admin.delete(`/api-keys/${id}`)).status).toBe(200);
    const revokedAt = Date.now();
    // The session changes right away (the admin acts for the account): STARTING, then a QR.
    const started = await admin.post(`/channels/${channel.id}/session/start`, {}, { 'x-client-identifier': account });
    expect(started.status).toBe(200);

    const endedAt = await within(stream.ended, LOCAL_WINDOW_MS + 3_000, 'the end of the stream');
    expect(endedAt - revokedAt).toBeLessThanOrEqual(LOCAL_WINDOW_MS + 2_000);
    expect(stream.events.filter((e) => e.at >= revokedAt)).toEqual([]);
    // The key itself is refused from now on.
    expect((await client.get(`/channels/${channel.id}/session`)).status).toBe(401);
    await admin.post(`/channels/${channel.id}/session/stop`, {}, { 'x-client-identifier': account });
  });

  it('ends an idle stream too (no event needed to notice)', async () => {
    const { id, key, client } = await newKey('acc-stream-idle');
    const channel = await setupChannel(client);
    const stream = await openStream(`${t.baseUrl}/channels/${channel.id}/session/events`, { 'x-api-key': key });
    streams.push(stream);
    await until(() => stream.events.length > 0, 10_000, 'the first status event');
    expect((await admin.delete(`/api-keys/${id}`)).status).toBe(200);
    const revokedAt = Date.now();
    const endedAt = await within(stream.ended, LOCAL_WINDOW_MS + 3_000, 'the end of the idle stream');
    expect(endedAt - revokedAt).toBeLessThanOrEqual(LOCAL_WINDOW_MS + 2_000);
  });

  it("ends the console's event stream when the key its session was made from is revoked", async () => {
    const account = 'acc-stream-console';
    const { id, key, client } = await newKey(account);
    const channel = await setupChannel(client);
    const signIn = await fetch(`${t.baseUrl}/console/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: t.baseUrl },
      body: JSON.stringify({ key }),
    });
    expect(signIn.status).toBe(200);
    const cookie = sessionCookie(signIn.headers).pair;
    const stream = await openStream(`${t.baseUrl}/console/api/events`, { cookie });
    streams.push(stream);
    // The console stream sends changes only: make one to see it is live.
    await admin.post(`/channels/${channel.id}/session/start`, {}, { 'x-client-identifier': account });
    await until(() => stream.events.length > 0, 10_000, 'a console status event');

    expect((await admin.delete(`/api-keys/${id}`)).status).toBe(200);
    const revokedAt = Date.now();
    await admin.post(`/channels/${channel.id}/session/stop`, {}, { 'x-client-identifier': account });
    const endedAt = await within(stream.ended, LOCAL_WINDOW_MS + 3_000, 'the end of the console stream');
    expect(endedAt - revokedAt).toBeLessThanOrEqual(LOCAL_WINDOW_MS + 2_000);
    expect(stream.events.filter((e) => e.at >= revokedAt)).toEqual([]);
  });
});

describe('hardening: a stream on another server process ends within the key cache window', () => {
  const servers: ServerProcess[] = [];
  let stream: OpenStream | undefined;

  beforeAll(async () => {
    const mainJs = ensureBuilt();
    const env = testEnv(uniqueDatabase('streamproc'), { LOG_LEVEL: 'warn' });
    for (let i = 0; i < 2; i++) servers.push(await spawnServer(mainJs, env));
  });
  afterAll(async () => {
    stream?.abort();
    for (const s of servers) await s.stop();
  });

  it('ends the stream on process B after the key is revoked through process A', async () => {
    const [a, b] = servers;
    const admin = new ApiClient(a.baseUrl, TEST_ADMIN_KEY);
    const created = await admin.post('/api-keys', { clientIdentifier: 'acc-stream-proc', name: 'stream' });
    expect(created.status).toBe(201);
    const channel = await setupChannel(admin.withKey(created.body.key));
    stream = await openStream(`${b.baseUrl}/channels/${channel.id}/session/events`, { authorization: `Bearer ${created.body.key}` });
    await until(() => stream!.events.length > 0, 10_000, 'the first status event');

    expect((await admin.delete(`/api-keys/${created.body.id}`)).status).toBe(200);
    const revokedAt = Date.now();
    const endedAt = await within(stream.ended, KEY_WINDOW_MS + 5_000, 'the end of the stream on the other process');
    expect(endedAt - revokedAt).toBeLessThanOrEqual(KEY_WINDOW_MS + 2_000);
  });
});
