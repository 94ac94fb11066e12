import {
  configure,
  ContactApi,
  isOmnichannelError,
  MessageApi,
  OmnichannelModule,
  OmnichannelClient,
  OmnichannelError,
  resetConfiguration,
  ROUTE_TABLE,
  SetupApi,
  TagApi,
  WhatsappWebUtils,
} from '@cirrus/omnichannel_api';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createServer, Server } from 'node:http';
import { accountClient, ApiClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { close, listen } from './support/browser-harness';

// The project's testTimeout is not applied per project: booting the app (and building) needs more than 5 s under load.
jest.setTimeout(60_000);

interface Seen {
  url: string;
  method?: string;
  headers: Record<string, string>;
  body?: string;
}

/** A fetch that records what the SDK sends, then really sends it. */
function recordingFetch(seen: Seen[]) {
  return async (url: string, init?: RequestInit) => {
    seen.push({ url, method: init?.method, headers: { ...(init?.headers as Record<string, string>) }, body: init?.body as string | undefined });
    return fetch(url, init);
  };
}

describe('SDK client core: configuration, requests built from the route table, typed errors', () => {
  let t: TestApp;
  let key: string;
  let hanging: Server;
  let hangingUrl: string;

  beforeAll(async () => {
    t = await startTestApp('sdkclient', { WHATSAPP_ENGINE: 'sandbox' });
    key = (await accountClient(new ApiClient(t.baseUrl, t.adminKey), 'acc-client')).key!;
    hanging = createServer((req) => void req.resume());
    hangingUrl = `http://127.0.0.1:${await listen(hanging)}`;
  });
  afterEach(() => {
    resetConfiguration();
    delete process.env.OMNICHANNEL_API_URL;
    delete process.env.OMNICHANNEL_API_KEY;
  });
  afterAll(async () => {
    await close(hanging);
    await t?.close();
  });

  describe('configuration', () => {
    it('refuses to call without a server URL, with a code that says so', async () => {
      await expect(TagApi.getInstance().get()).rejects.toMatchObject({ name: 'OmnichannelError', code: 'SDK_NOT_CONFIGURED', status: 0 });
    });

    it('gives one instance per class, the same awaited or not, reading configure() at each call', async () => {
      expect(TagApi.getInstance()).toBe(TagApi.getInstance());
      // eslint-disable-next-line @typescript-eslint/await-thenable -- the guide awaits getInstance(): it must work
      expect(await WhatsappWebUtils.getInstance()).toBe(WhatsappWebUtils.getInstance());
      expect(TagApi.getInstance()).not.toBe(ContactApi.getInstance());
      const api = TagApi.getInstance();
      configure({ baseUrl: `${t.baseUrl}/`, apiKey: key });
      expect(await api.create({ name: 'configured', color: '#123' })).toMatchObject({ name: 'configured', clientIdentifier: 'acc-client' });
    });

    it('lets configure() win over the environment, and explicit client options win over both', async () => {
      process.env.OMNICHANNEL_API_URL = 'http://127.0.0.1:1';
      process.env.OMNICHANNEL_API_KEY = 'omk_wrong';
      await expect(TagApi.getInstance().get()).rejects.toMatchObject({ code: 'SDK_NETWORK_ERROR' });
      configure({ baseUrl: t.baseUrl });
      await expect(TagApi.getInstance().get()).rejects.toMatchObject({ code: 'INVALID_API_KEY', status: 401 });
      configure({ apiKey: key });
      expect(await TagApi.getInstance().get()).toEqual(expect.any(Array));
      const explicit = new TagApi(new OmnichannelClient({ baseUrl: t.baseUrl, apiKey: 'omk_other' }));
      await expect(explicit.get()).rejects.toMatchObject({ code: 'INVALID_API_KEY' });
    });
  });

  it('configures the Nest module asynchronously from another provider (forRootAsync)', async () => {
    @Injectable()
    class Settings {
      readonly omnichannel = { baseUrl: t.baseUrl, apiKey: key };
    }
    @Module({ providers: [Settings], exports: [Settings] })
    class SettingsModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [OmnichannelModule.forRootAsync({ imports: [SettingsModule], inject: [Settings], useFactory: (s: Settings) => s.omnichannel })],
    }).compile();
    expect(await moduleRef.get(TagApi).create({ name: 'async', color: '#321' })).toMatchObject({ name: 'async' });
    expect(moduleRef.get(TagApi)).not.toBe(TagApi.getInstance());
    await moduleRef.close();
  });

  describe('requests', () => {
    it('puts ids in the path, filters in the query, the rest in the body, clientIdentifier in X-Client-Identifier', async () => {
      const seen: Seen[] = [];
      const client = new OmnichannelClient({ baseUrl: t.baseUrl, apiKey: key, fetch: recordingFetch(seen), headers: { 'x-app': 'crm' } });
      const tags = new TagApi(client);
      const contacts = new ContactApi(client);
      const tag = await tags.create({ clientIdentifier: 'acc-client', name: 'path test', color: '#abc' });
      await tags.update({ clientIdentifier: 'acc-client', tagId: tag.id, name: 'renamed' });
      await contacts.get({ tagIds: [tag.id, tag.id], page: 1, limit: 5, name: 'a b' });
      expect(seen[1]).toMatchObject({
        method: 'PATCH',
        url: `${t.baseUrl}/tags/${tag.id}`,
        headers: { authorization: `Bearer ${key}`, 'x-client-identifier': 'acc-client', 'x-app': 'crm', 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'renamed' }),
      });
      expect(seen[2]).toMatchObject({ method: 'GET', url: `${t.baseUrl}/contacts?tagIds=${tag.id}&tagIds=${tag.id}&page=1&limit=5&name=a+b`, body: undefined });
    });

    it('sends the Idempotency-Key given in the call options', async () => {
      const seen: Seen[] = [];
      const api = new MessageApi(new OmnichannelClient({ baseUrl: t.baseUrl, apiKey: key, fetch: recordingFetch(seen) }));
      await api.sendMessage({ sessionId: '64ef5c85f9deb132696591a0', agentName: 'a', text: 'x' }, { idempotencyKey: 'k-1' }).catch(() => undefined);
      expect(seen[0].headers['idempotency-key']).toBe('k-1');
    });

    it('refuses a field the route does not have, and a missing path id, before sending anything', async () => {
      const seen: Seen[] = [];
      const tags = new TagApi(new OmnichannelClient({ baseUrl: t.baseUrl, apiKey: key, fetch: recordingFetch(seen) }));
      const unknown = await tags.create({ name: 'x', color: '#fff', colour: 'red' } as never).catch((e: unknown) => e);
      expect(unknown).toMatchObject({ code: 'SDK_UNKNOWN_FIELD', status: 0, details: { field: 'colour', route: 'tags.create' } });
      const missing = await tags.getById({ tagId: '' }).catch((e: unknown) => e);
      expect(missing).toMatchObject({ code: 'SDK_MISSING_PARAMETER', details: { field: 'tagId' } });
      expect(seen).toEqual([]);
    });

    it('declares every path placeholder of every route', () => {
      for (const route of ROUTE_TABLE) {
        for (const [, name] of route.path.matchAll(/\{(\w+)\}/g)) expect(route.params?.[name]).toBeDefined();
        expect(route.path.startsWith('/')).toBe(true);
      }
      expect(new Set(ROUTE_TABLE.map((r) => r.name)).size).toBe(ROUTE_TABLE.length);
    });
  });

  describe('errors', () => {
    const api = () => new SetupApi(new OmnichannelClient({ baseUrl: t.baseUrl, apiKey: key }));

    it("carries the server's code, status, message, details and request id", async () => {
      const seen: Response[] = [];
      const client = new OmnichannelClient({
        baseUrl: t.baseUrl,
        apiKey: key,
        fetch: async (url, init) => {
          const res = await fetch(url, init);
          seen.push(res.clone());
          return res;
        },
      });
      const error = await new SetupApi(client).getChannel({ channelId: '64ef5c84f9deb1326965919e' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OmnichannelError);
      expect(error).toBeInstanceOf(Error);
      expect(isOmnichannelError(error)).toBe(true);
      const e = error as OmnichannelError;
      expect(e).toMatchObject({ name: 'OmnichannelError', code: 'CHANNEL_NOT_FOUND', status: 404, message: expect.stringContaining('64ef5c84f9deb1326965919e') });
      expect(e.requestId).toBe(seen[0].headers.get('x-request-id'));
      expect(JSON.parse(JSON.stringify(e))).toMatchObject({ code: 'CHANNEL_NOT_FOUND', status: 404, requestId: e.requestId });
    });

    it('keeps the validation details of a 400', async () => {
      const error = await api()
        .setup({ provider: { clientNumber: '', companyId: 'c' }, startingPlatform: 'Bad Slug', platforms: [] })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', details: expect.arrayContaining([expect.objectContaining({ field: 'startingPlatform' })]) });
    });

    it('maps a key of another account to 403 ACCOUNT_MISMATCH', async () => {
      await expect(api().getChannels({ clientIdentifier: 'someone-else' })).rejects.toMatchObject({ status: 403, code: 'ACCOUNT_MISMATCH' });
    });

    it('reports an unreachable server, a timeout and an abort as SDK_NETWORK_ERROR with status 0', async () => {
      const down = new TagApi(new OmnichannelClient({ baseUrl: 'http://127.0.0.1:1', apiKey: key }));
      await expect(down.get()).rejects.toMatchObject({ code: 'SDK_NETWORK_ERROR', status: 0 });
      const slow = new TagApi(new OmnichannelClient({ baseUrl: hangingUrl, apiKey: key, timeoutMs: 200 }));
      await expect(slow.get()).rejects.toMatchObject({ code: 'SDK_NETWORK_ERROR', message: expect.stringContaining('timed out after 200 ms') });
      const controller = new AbortController();
      const call = new OmnichannelClient({ baseUrl: hangingUrl }).call(ROUTE_TABLE.find((r) => r.name === 'tags.list')!, {}, { signal: controller.signal });
      controller.abort();
      await expect(call).rejects.toMatchObject({ code: 'SDK_NETWORK_ERROR', message: expect.stringContaining('aborted') });
    });

    it('turns an answer that is not the error model (a proxy page) into HTTP_<status>', async () => {
      const proxy = createServer((_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>'));
      const url = `http://127.0.0.1:${await listen(proxy)}`;
      try {
        await expect(new TagApi(new OmnichannelClient({ baseUrl: url })).get()).rejects.toMatchObject({ code: 'HTTP_502', status: 502, message: '<h1>Bad gateway</h1>' });
      } finally {
        await close(proxy);
      }
    });
  });
});
