import { createServer, Server } from 'node:http';
import { ApiClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { FILES } from '../messages/messaging-harness';
import { eventually } from '../whatsapp/whatsapp-helpers';
import { documentedCodes, fillPath, Json, operations, requestExamples, strays } from './support/openapi-doc';

jest.setTimeout(180_000);

/** The account the examples name (`clientIdentifier`): the test acts as that account. */
const EXAMPLE_ACCOUNT = '9a92ea44-244c-4cda-86be-6a9e32ba8f34';
const EXAMPLE_GROUP = '120363012345678901@g.us';

/** Every operation with a request body, in an order where each one's examples find what they name. */
const ORDER = [
  'POST /channels/setup/{service}',
  'POST /tags',
  'PATCH /tags/{tagId}',
  'POST /contacts',
  'PATCH /contacts/{contactId}',
  'POST /contacts/{contactId}/tags',
  'DELETE /contacts/{contactId}/tags',
  'DELETE /contacts/{contactId}/platform',
  'POST /channels/{channelId}/platforms',
  'PATCH /channels/{channelId}/platforms/{slug}',
  'PATCH /channels/{channelId}',
  'POST /conversations/start/{service}',
  'POST /messages/send',
  'POST /messages/group',
  'POST /messages/sticker',
  'POST /messages/contacts',
  'POST /messages/location',
  'POST /messages/address',
  'POST /messages/forward',
  'POST /messages/reaction',
  'POST /messages/interactive',
  'POST /messages/location-request',
  'POST /messages/template',
  'POST /messages/delete',
  'POST /channels/{channelId}/onboarding-link',
  'POST /onboarding/links',
  'POST /channels/{channelId}/session/pairing-code',
  'POST /webhooks/replay',
  'POST /api-keys',
];
/** Not sent: the sandbox's own test controls, and the onboarding page's form (its token is the page's). */
const NOT_SENT = (key: string) => key.includes(' /sandbox/') || key === 'POST /onboarding/{token}/pairing-code';
/** Examples that cannot succeed here by design, with the documented error they must produce instead. */
const EXPECTED_ERRORS: Record<string, string> = {
  'POST /messages/interactive': 'ENGINE_FEATURE_UNSUPPORTED', // official API only
  'POST /messages/location-request': 'ENGINE_FEATURE_UNSUPPORTED',
  'POST /messages/template': 'ENGINE_FEATURE_UNSUPPORTED', // the examples' channel is WhatsApp Web
  'POST /channels/{channelId}/session/pairing-code': 'SESSION_ALREADY_CONNECTED', // the channel is linked by then
};

/** Serves the examples' media URLs (https://exemplo.com/<file>) from 127.0.0.1, by extension. */
async function mediaServer(): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const pdf = (req.url ?? '').endsWith('.pdf');
    const body = pdf ? FILES.pdf : FILES.png;
    res.writeHead(200, { 'content-type': pdf ? 'application/pdf' : 'image/png', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

describe('Every documented request example is accepted', () => {
  let t: TestApp;
  let doc: Json;
  let media: { server: Server; base: string };

  beforeAll(async () => {
    media = await mediaServer();
    t = await startTestApp('reqexamples', { WHATSAPP_ENGINE: 'sandbox', SEND_MIN_INTERVAL_MS: '0' });
    doc = (await new ApiClient(t.baseUrl).get('/docs-json')).body;
  });
  afterAll(async () => {
    await t.close();
    media.server.closeAllConnections();
    media.server.close();
  });

  it('lists every operation that documents a request body', () => {
    const withBody = operations(doc)
      .filter(({ op }) => op.requestBody)
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`)
      .filter((key) => !NOT_SENT(key));
    expect(withBody.filter((key) => !ORDER.includes(key))).toEqual([]);
    expect(ORDER.filter((key) => !withBody.includes(key))).toEqual([]);
  });

  it('sends each example (ids the examples use stand for this test’s records) and gets 2xx or its documented error', async () => {
    const admin = new ApiClient(t.baseUrl, t.adminKey);
    const key = (await admin.post('/api-keys', { clientIdentifier: EXAMPLE_ACCOUNT, name: 'examples' })).body.key as string;
    const acc = admin.withKey(key);
    /** Example id → the id of the record this test made for it. */
    const ids: Record<string, string> = {};
    const params: Record<string, string> = { service: 'whatsappweb', slug: 'helpdesk' };
    const swap = (value: Json): Json => {
      if (typeof value === 'string') return ids[value] ?? value.replace(/^https:\/\/exemplo\.com/, media.base);
      if (Array.isArray(value)) return value.map(swap);
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swap(v)]));
      return value;
    };
    const before: Record<string, () => Promise<void>> = {
      'POST /tags': async () => {
        // The second tag the examples name; the first is the example's own.
        const second = await acc.post('/tags', { name: 'Atacado', color: '#00aa00' });
        ids['68e54649a3744412be5cc108'] = second.body.id;
      },
      'POST /messages/send': async () => {
        await acc.put(`/sandbox/channels/${params.channelId}/groups`, { id: EXAMPLE_GROUP, subject: 'Clientes', participants: ['5521977771111'] });
        const sent = await acc.post('/messages/send', { sessionId: params.id, agentName: 'Atendente', text: 'primeira mensagem' });
        const done = await eventually(() => acc.get(`/messages/${sent.body.id}`), (r) => r.body.status === 'sent' || r.body.status === 'failed', 20_000, 'sent');
        expect(done.body.status).toBe('sent');
        ids['64ef5c85f9deb132696591b2'] = sent.body.id;
      },
      'POST /messages/reaction': async () => {
        const sent = await acc.post('/messages/group', { channelId: params.channelId, recipientNumber: EXAMPLE_GROUP, platform: 'karoochat', text: 'no grupo' });
        await eventually(() => acc.get(`/messages/${sent.body.id}`), (r) => r.body.status === 'sent', 20_000, 'group message sent');
        ids['64ef5c85f9deb132696591b3'] = sent.body.id;
      },
    };
    const after: Record<string, (body: Json) => Promise<void>> = {
      'POST /channels/setup/{service}': async (body) => {
        params.channelId = ids['64ef5c84f9deb1326965919e'] = ids['689a05215b711247e8f54022'] = body.id;
        ids['64ef5c84f9deb1326965919f'] = body.platformConfigId;
        const linked = await acc.post(`/sandbox/channels/${body.id}/link`, {});
        expect(linked.status).toBe(200);
      },
      'POST /tags': async (body) => void (params.tagId = ids['68e54649a3744412be5cc107'] = body.id),
      'POST /contacts': async (body) => void (params.contactId = body.id),
      'POST /conversations/start/{service}': async (body) => void (params.id = ids['64ef5c85f9deb132696591a0'] = body.id),
    };

    const outcomes: string[] = [];
    for (const route of ORDER) {
      const [method, path] = route.split(' ');
      const op = doc.paths[path][method.toLowerCase()];
      await before[route]?.();
      for (const { name, value } of requestExamples(doc, op)) {
        const client = path.startsWith('/api-keys') ? admin : acc;
        const res = await client.call(method, fillPath(path, params), swap(value));
        const code = res.body?.code as string | undefined;
        const expected = EXPECTED_ERRORS[route];
        const ok = expected ? code === expected && documentedCodes(doc, op, res.status)?.includes(code) : res.status >= 200 && res.status < 300;
        if (!ok) outcomes.push(`${route} [${name}]: ${res.status} ${code ?? ''} ${res.body?.message ?? ''}`);
        if (res.status < 300) await after[route]?.(res.body);
      }
    }
    expect(outcomes).toEqual([]);

    // The webhook payloads the document describes are the ones sent: every recorded event's body
    // (the delivery log keeps it) against its event type's schema.
    const inbound = await acc.post(`/sandbox/channels/${params.channelId}/inbound`, { from: '5521977773333', text: 'Oi, tudo bem?' });
    expect(inbound.status).toBe(201);
    const types = ['session.status', 'message.status', 'message.reaction', 'message.revoked', 'message.received'];
    const events = (
      await eventually(
        () => acc.get('/webhooks/events?limit=100'),
        (r) => types.every((type) => r.body.data.some((e: { type: string }) => e.type === type)),
        20_000,
        `events of types ${types.join(', ')}`,
      )
    ).body.data as { eventId: string; type: string }[];
    const problems: string[] = [];
    for (const { eventId, type } of events) {
      const { payload } = (await acc.get(`/webhooks/events/${eventId}`)).body;
      const schema = doc.webhooks[type].post.requestBody.content['application/json'].schema;
      problems.push(...strays(doc, schema, payload, type));
    }
    expect(problems).toEqual([]);
  });
});
