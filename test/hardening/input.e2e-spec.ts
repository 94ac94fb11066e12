import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { setupChannel } from '../whatsapp/whatsapp-helpers';

jest.setTimeout(60_000);

/**
 * Bad input, by class, over real HTTP against the app as main.ts wires it: every case is a clear
 * 4xx with a stable code, never a 500, never a silent success.
 */
describe('hardening: bad input', () => {
  let t: TestApp;
  let admin: ApiClient;
  let acc: ApiClient;
  let anon: ApiClient;
  let channelId: string;

  beforeAll(async () => {
    t = await startTestApp('hardinput');
    admin = new ApiClient(t.baseUrl, t.adminKey);
    acc = await accountClient(admin, 'acc-hard-in');
    anon = admin.withKey(undefined);
    channelId = (await setupChannel(acc)).id;
  });
  afterAll(() => t.close());

  /** A request with exactly this body and Content-Type (none when `type` is undefined). */
  const raw = async (client: ApiClient, method: string, path: string, body: string, type?: string) => {
    const headers: Record<string, string> = client.key ? { authorization: `Bearer ${client.key}` } : {};
    if (type) headers['content-type'] = type;
    // A Blob without a type: fetch adds no Content-Type of its own.
    const res = await fetch(`${t.baseUrl}${path}`, { method, headers, body: new Blob([body]) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {} };
  };
  const noType = (method: string, path: string, body: string) => raw(acc, method, path, body);
  const fields = (res: { body: { details?: Array<{ field: string }> } }) => (res.body.details ?? []).map((d) => d.field);

  describe('deeply nested JSON', () => {
    const deep = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
    const deepArray = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

    it('answers 400 PAYLOAD_TOO_DEEP for 10,000 levels (~60 KB) on any route, with or without a key', async () => {
      expect(deep(10_000).length).toBeGreaterThan(50_000);
      for (const [client, method, path] of [
        [anon, 'POST', '/contacts'],
        [anon, 'PATCH', '/tags/64ef5c84f9deb1326965919e'],
        [anon, 'POST', '/no/such/route'],
        [anon, 'POST', '/onboarding/not-a-token/pairing-code'],
        [acc, 'POST', '/contacts'],
        [acc, 'POST', '/webhooks/replay'],
        [admin, 'POST', '/api-keys'],
      ] as const) {
        for (const body of [deep(10_000), deepArray(10_000)]) {
          const res = await raw(client, method, path, body, 'application/json');
          expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 400, code: 'PAYLOAD_TOO_DEEP' });
          expect(res.body.requestId).toEqual(expect.any(String));
        }
      }
      // The server is fine afterwards.
      expect((await acc.get('/tags')).status).toBe(200);
    });

    it('accepts ordinary nesting and refuses bodies with too many values (PAYLOAD_TOO_COMPLEX)', async () => {
      const ok = await acc.post('/tags', { name: 'nested-ok', color: '#00ff00' });
      expect(ok.status).toBe(201);
      const many = await raw(anon, 'POST', '/contacts', `[${Array(20_000).fill(0).join(',')}]`, 'application/json');
      expect([many.status, many.body.code]).toEqual([400, 'PAYLOAD_TOO_COMPLEX']);
    });
  });

  describe('reserved keys', () => {
    it.each(['__proto__', 'constructor', 'prototype'])('refuses %s in a body, nested or not, like any unknown key', async (key) => {
      const top = await raw(acc, 'POST', '/tags', `{"name":"t-${key}","color":"#ff0000","${key}":{"admin":true}}`, 'application/json');
      expect([top.status, top.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(fields(top)).toContain(key);
      const nested = await raw(acc, 'POST', '/messages/contacts', `{"sessionId":"x","contacts":[{"name":"a","phone":"5521999990000","${key}":1}]}`, 'application/json');
      expect([nested.status, nested.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(fields(nested)).toContain(`contacts[0].${key}`);
      // Nothing was created by the refused request.
      expect((await acc.get('/tags')).body.map((x: { name: string }) => x.name)).not.toContain(`t-${key}`);
    });

    it.each(['__proto__', 'constructor', 'prototype'])('refuses %s in a query string', async (key) => {
      const res = await acc.get(`/tags?${key}=1`);
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
      expect(fields(res)).toEqual([key]);
      const nested = await acc.get(`/contacts?${key}[x]=1`);
      expect([nested.status, nested.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    });
  });

  describe('bodies the server does not read', () => {
    let tagId: string;
    beforeAll(async () => {
      tagId = (await acc.post('/tags', { name: 'media-type', color: '#ff0000' })).body.id;
    });

    it.each([
      ['text/plain', '{"name":"changed"}'],
      ['text/plain; charset=utf-8', '{"name":"changed"}'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nchanged\r\n--x--\r\n'],
      ['application/xml', '<tag><name>changed</name></tag>'],
      ['application/vnd.api+json', '{"name":"changed"}'],
    ])('answers 415 UNSUPPORTED_MEDIA_TYPE for a PATCH in %s and changes nothing', async (type, body) => {
      const res = await raw(acc, 'PATCH', `/tags/${tagId}`, body, type);
      expect([res.status, res.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
      expect((await acc.get(`/tags/${tagId}`)).body.name).toBe('media-type');
    });

    it('answers 415 for a body with no Content-Type, and for POST and DELETE too', async () => {
      const none = await noType('PATCH', `/tags/${tagId}`, '{"name":"changed"}');
      expect([none.status, none.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
      const post = await raw(acc, 'POST', '/tags', '{"name":"x","color":"#ff0000"}', 'text/plain');
      expect(post.status).toBe(415);
      const del = await raw(acc, 'DELETE', `/tags/${tagId}`, 'x', 'text/plain');
      expect(del.status).toBe(415);
      expect((await acc.get(`/tags/${tagId}`)).status).toBe(200);
    });

    it('still reads JSON (any charset) and bodiless writes', async () => {
      const json = await raw(acc, 'PATCH', `/tags/${tagId}`, '{"name":"renamed"}', 'application/json; charset=utf-8');
      expect([json.status, json.body.name]).toEqual([200, 'renamed']);
      const bodiless = await acc.call('POST', '/webhooks/events/64ef5c84f9deb1326965919e/replay');
      expect(bodiless.status).toBe(404);
    });
  });

  describe('loose types', () => {
    it('takes dates only as ISO-8601 strings (a number is a 400, not "since 1970")', async () => {
      for (const since of [12345, 0, '12345', 'yesterday', true]) {
        const replay = await acc.post('/webhooks/replay', { channelId, platform: 'karoochat', since });
        expect([replay.status, replay.body.code, fields(replay)]).toEqual([400, 'VALIDATION_FAILED', ['since']]);
      }
      const list = await acc.get('/webhooks/events?since=12345');
      expect([list.status, fields(list)]).toEqual([400, ['since']]);
      expect((await acc.get('/webhooks/events?since=2026-01-31T00:00:00Z')).status).toBe(200);
      const ok = await acc.post('/webhooks/replay', { channelId, platform: 'karoochat', since: '2026-01-31T00:00:00.000Z' });
      expect(ok.status).toBeLessThan(300);
    });

    it('takes a reaction as exactly one emoji, or empty to remove it', async () => {
      const react = (emoji: unknown) => acc.post('/messages/reaction', { sessionId: '64ef5c84f9deb1326965919e', messageId: 'm1', emoji });
      for (const emoji of ['hello', '😀😀😀', '👍👍', 'a', ' ', 42]) {
        const res = await react(emoji);
        expect([emoji, res.status, res.body.code, fields(res)]).toEqual([emoji, 400, 'VALIDATION_FAILED', ['emoji']]);
      }
      // One emoji (incl. skin tones, flags, ZWJ sequences) or '' passes validation and reaches the
      // lookup of the conversation, which does not exist here.
      for (const emoji of ['👍', '👍🏽', '🇧🇷', '👨‍👩‍👧', '❤️', '']) {
        const res = await react(emoji);
        expect([emoji, res.status]).toEqual([emoji, 404]);
      }
    });
  });
});
