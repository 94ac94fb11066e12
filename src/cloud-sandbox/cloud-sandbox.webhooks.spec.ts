import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudSandboxServer } from './cloud-sandbox-server';

// The fake posts webhooks to a real receiver on loopback; signatures are checked with node:crypto only.
const TOKEN = 'EAAG-test-token';
const SECRET = 'app-secret-123';
const PNID = '106540352242922';
const D360 = '200000000000001';
const CUSTOMER = '5511999990001';

interface Received {
  raw: string;
  headers: IncomingHttpHeaders;
  body: any;
}
let received: Received[];
let receiver: Server;
let receiverUrl: string;
let server: CloudSandboxServer;
let base: string;

beforeEach(async () => {
  received = [];
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      received.push({ raw, headers: req.headers, body: JSON.parse(raw) });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  server = new CloudSandboxServer({
    numbers: [
      { phoneNumberId: PNID, wabaId: '102290129340398', displayPhoneNumber: '15550001111', flavour: 'meta', accessToken: TOKEN, appSecret: SECRET, webhook: { url: receiverUrl } },
      { phoneNumberId: D360, wabaId: '300000000000001', displayPhoneNumber: '15550002222', flavour: 'd360', apiKey: 'k360' },
    ],
  });
  base = await server.start();
});
afterEach(async () => {
  await server.stop();
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}
const send = (body: Record<string, unknown>) =>
  post(`/v23.0/${PNID}/messages`, { messaging_product: 'whatsapp', to: CUSTOMER, ...body }, { authorization: `Bearer ${TOKEN}` });
const verify = (r: Received) => {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(r.raw).digest('hex')}`);
  const given = Buffer.from(String(r.headers['x-hub-signature-256']));
  return given.length === expected.length && timingSafeEqual(given, expected);
};
const value = (r: Received) => r.body.entry[0].changes[0].value;
async function waitFor(n: number) {
  for (let i = 0; i < 200 && received.length < n; i++) await new Promise((r) => setTimeout(r, 10));
  expect(received.length).toBeGreaterThanOrEqual(n);
}

describe('cloud sandbox: webhooks', () => {
  it('delivers an interactive button reply signed with the app secret in Meta’s envelope', async () => {
    const res = await post(`/_control/numbers/${PNID}/inbound`, {
      from: CUSTOMER, name: 'Ana', type: 'interactive', context: { id: 'wamid.ASKED' },
      payload: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } },
    });
    expect(res.body.delivery).toEqual({ status: 200 });
    const [hook] = received;
    expect(verify(hook)).toBe(true);
    expect(verify({ ...hook, raw: hook.raw.replace('Yes', 'No!') })).toBe(false);
    expect(hook.body).toMatchObject({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'messages' }] }] });
    expect(value(hook)).toEqual({
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550001111', phone_number_id: PNID },
      contacts: [{ profile: { name: 'Ana' }, wa_id: CUSTOMER }],
      messages: [{
        from: CUSTOMER, id: expect.stringMatching(/^wamid\./), timestamp: expect.stringMatching(/^\d{10}$/),
        type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } },
        context: { from: '15550001111', id: 'wamid.ASKED' },
      }],
    });
  });

  it('serves inbound media through GET /<media-id> and a download URL that needs the token', async () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const res = await post(`/_control/numbers/${PNID}/inbound`, { from: CUSTOMER, type: 'image', payload: { data: png.toString('base64'), mime_type: 'image/png', caption: 'pic' } });
    const image = res.body.message.image;
    expect(image).toMatchObject({ mime_type: 'image/png', caption: 'pic', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const auth = { authorization: `Bearer ${TOKEN}` };
    const meta = (await (await fetch(`${base}/v23.0/${image.id}`, { headers: auth })).json()) as any;
    expect(meta).toMatchObject({ id: image.id, mime_type: 'image/png', file_size: png.length, sha256: image.sha256 });
    expect((await fetch(meta.url)).status).toBe(401);
    const bytes = Buffer.from(await (await fetch(meta.url, { headers: auth })).arrayBuffer());
    expect(bytes.equals(png)).toBe(true);
  });

  it('uploads media with multipart and sends it by id', async () => {
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', 'application/pdf');
    form.set('file', new Blob([Buffer.from('%PDF-1.4')]), 'a.pdf');
    const up = (await (await fetch(`${base}/v23.0/${PNID}/media`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form })).json()) as any;
    expect(up.id).toMatch(/^\d{15,16}$/);
    const meta = (await (await fetch(`${base}/v23.0/${up.id}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as any;
    expect(meta).toMatchObject({ mime_type: 'application/pdf', file_size: 8 });
  });

  it('emits sent/delivered/read/failed statuses with pricing, conversation and errors', async () => {
    await post(`/_control/numbers/${PNID}/inbound`, { from: CUSTOMER, type: 'text', payload: { body: 'hi' } });
    const sent = await send({ type: 'text', text: { body: 'hello' }, biz_opaque_callback_data: 'ref-1' });
    const id = sent.body.messages[0].id;
    for (const status of ['sent', 'delivered', 'read']) {
      expect((await post(`/_control/numbers/${PNID}/statuses`, { id, status })).body.delivery).toEqual({ status: 200 });
    }
    await post(`/_control/numbers/${PNID}/statuses`, { id, status: 'failed', errorCode: 131026 });
    const statuses = received.slice(1).map((r) => value(r).statuses[0]);
    expect(received.slice(1).every(verify)).toBe(true);
    expect(statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read', 'failed']);
    expect(statuses[0]).toMatchObject({
      id, recipient_id: CUSTOMER, biz_opaque_callback_data: 'ref-1',
      conversation: { origin: { type: 'service' }, expiration_timestamp: expect.stringMatching(/^\d+$/) },
      pricing: { billable: false, pricing_model: 'PMP', category: 'service' },
    });
    expect(statuses[2].pricing).toBeUndefined();
    expect(statuses[3].errors).toEqual([expect.objectContaining({ code: 131026, title: 'Message undeliverable' })]);
    expect((await (await fetch(`${base}/_control/numbers/${PNID}/outbox`)).json())[0].status).toBe('failed');
  });

  it('enforces the 24 h window: free-form fails with 131047 by webhook, a template still goes', async () => {
    const cold = await send({ type: 'text', text: { body: 'hello?' } });
    expect(cold.status).toBe(200);
    await waitFor(1);
    expect(value(received[0]).statuses[0]).toMatchObject({ id: cold.body.messages[0].id, status: 'failed', errors: [{ code: 131047 }] });
    const tpl = await send({ type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } });
    expect(tpl.status).toBe(200);
    await post(`/_control/numbers/${PNID}/inbound`, { from: CUSTOMER, type: 'text', payload: { body: 'hi' } });
    const warm = await send({ type: 'text', text: { body: 'now ok' } });
    await post('/_control/clock', { advanceMs: 24 * 3600 * 1000 + 1000 });
    const stale = await send({ type: 'text', text: { body: 'too late' } });
    await waitFor(3);
    const box = (await (await fetch(`${base}/_control/numbers/${PNID}/outbox`)).json()) as any[];
    expect(box.map((e) => [e.id, e.status, e.error?.code])).toEqual([
      [cold.body.messages[0].id, 'failed', 131047],
      [tpl.body.messages[0].id, 'accepted', undefined],
      [warm.body.messages[0].id, 'accepted', undefined],
      [stale.body.messages[0].id, 'failed', 131047],
    ]);
  });

  it.each([131026, 131051])('injected %i is accepted, then reported as a failed status', async (code) => {
    await post(`/_control/numbers/${PNID}/inbound`, { from: CUSTOMER, type: 'text', payload: { body: 'hi' } });
    await post(`/_control/numbers/${PNID}/errors`, { code });
    const res = await send({ type: 'sticker', sticker: { id: '1234567890123456' } });
    expect(res.status).toBe(200);
    await waitFor(2);
    expect(value(received[1]).statuses[0]).toMatchObject({ id: res.body.messages[0].id, status: 'failed', errors: [{ code }] });
  });

  it('reports an unsupported inbound kind with error 131051, and prices templates by their category', async () => {
    await post(`/_control/numbers/${PNID}/inbound`, { from: CUSTOMER, type: 'unsupported' });
    expect(value(received[0]).messages[0]).toMatchObject({ type: 'unsupported', errors: [{ code: 131051 }] });
    await post(`/_control/numbers/${PNID}/templates`, { name: 'promo', language: 'en', category: 'MARKETING' });
    const tpl = await send({ type: 'template', template: { name: 'promo', language: { code: 'en' } } });
    await post(`/_control/numbers/${PNID}/statuses`, { id: tpl.body.messages[0].id, status: 'delivered' });
    expect(value(received[1]).statuses[0].pricing).toEqual({ billable: true, pricing_model: 'PMP', category: 'marketing', type: 'regular' });
  });

  it('emits the configured autoStatuses in order after each accepted send', async () => {
    const res = await post('/_control/numbers', {
      phoneNumberId: '400000000000001', flavour: 'meta', accessToken: 'T2', appSecret: SECRET,
      webhook: { url: receiverUrl }, autoStatuses: ['sent', 'delivered', 'read'],
    });
    expect(res.body).toMatchObject({ hasAccessToken: true, hasAppSecret: true });
    expect(JSON.stringify(res.body)).not.toContain('T2');
    const sent = await post('/v23.0/400000000000001/messages',
      { messaging_product: 'whatsapp', to: CUSTOMER, type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } },
      { authorization: 'Bearer T2' });
    await waitFor(3);
    expect(received.map((r) => value(r).statuses[0]).map((s) => [s.id, s.status])).toEqual(
      ['sent', 'delivered', 'read'].map((s) => [sent.body.messages[0].id, s]),
    );
    expect(received.every(verify)).toBe(true);
  });

  it('360dialog: webhook config by API, deliveries carry its headers and no Meta signature', async () => {
    const cfg = { url: receiverUrl, headers: { Authorization: 'Basic dXNlcjpwYXNz' } };
    const set = await post('/v1/configs/webhook', cfg, { 'D360-API-KEY': 'k360' });
    expect(set).toEqual({ status: 200, body: cfg });
    expect((await post('/v1/configs/webhook', { ...cfg, hedaers: {} }, { 'D360-API-KEY': 'k360' })).status).toBe(400);
    expect((await post('/v1/configs/webhook', cfg, { 'D360-API-KEY': 'nope' })).status).toBe(401);
    await post(`/_control/numbers/${D360}/inbound`, { from: CUSTOMER, type: 'interactive', payload: { type: 'list_reply', list_reply: { id: 'r1', title: 'Row', description: 'd' } } });
    const [hook] = received;
    expect(hook.headers.authorization).toBe('Basic dXNlcjpwYXNz');
    expect(hook.headers['x-hub-signature-256']).toBeUndefined();
    expect(value(hook).messages[0].interactive).toEqual({ type: 'list_reply', list_reply: { id: 'r1', title: 'Row', description: 'd' } });
  });
});
