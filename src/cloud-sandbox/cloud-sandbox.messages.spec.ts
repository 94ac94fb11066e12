import { CloudSandboxServer } from './cloud-sandbox-server';

// Over real HTTP on loopback: the Graph API and 360dialog surfaces as a provider would call them.
const TOKEN = 'EAAG-test-token';
const PNID = '106540352242922';
const WABA = '102290129340398';
const D360_KEY = 'd360-key-abc';
const CUSTOMER = '5511999990001';

let server: CloudSandboxServer;
let base: string;

beforeEach(async () => {
  server = new CloudSandboxServer({
    numbers: [
      { phoneNumberId: PNID, wabaId: WABA, displayPhoneNumber: '15550001111', flavour: 'meta', accessToken: TOKEN, appSecret: 's3cret' },
      { phoneNumberId: '200000000000001', wabaId: '300000000000001', displayPhoneNumber: '15550002222', flavour: 'd360', apiKey: D360_KEY },
    ],
  });
  base = await server.start();
  // Opens the 24 h window for CUSTOMER on both numbers (no webhook configured: the delivery is just logged).
  for (const id of [PNID, '200000000000001']) {
    await post(`/_control/numbers/${id}/inbound`, { from: CUSTOMER, type: 'text', payload: { body: 'hi' } });
  }
});
afterEach(() => server.stop());

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}
const graphSend = (body: unknown, token = TOKEN) => post(`/v23.0/${PNID}/messages`, body, { authorization: `Bearer ${token}` });
const outbox = async (id = PNID) => (await (await fetch(`${base}/_control/numbers/${id}/outbox`)).json()) as any[];

const VALID: Record<string, Record<string, unknown>> = {
  text: { type: 'text', text: { body: 'see https://example.com', preview_url: true } },
  image: { type: 'image', image: { link: 'https://example.com/a.jpg', caption: 'cap' } },
  video: { type: 'video', video: { id: '1234567890123456', caption: 'v' } },
  audio: { type: 'audio', audio: { id: '1234567890123456' } },
  document: { type: 'document', document: { link: 'https://example.com/a.pdf', caption: 'c', filename: 'a.pdf' } },
  sticker: { type: 'sticker', sticker: { id: '1234567890123456' } },
  location: { type: 'location', location: { latitude: -23.55, longitude: '-46.63', name: 'SP', address: 'Av. Paulista' } },
  contacts: { type: 'contacts', contacts: [{ name: { formatted_name: 'Ana Lima', first_name: 'Ana' }, phones: [{ phone: '+5511988887777', type: 'CELL', wa_id: '5511988887777' }] }] },
  reaction: { type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '👍' } },
  buttons: { type: 'interactive', interactive: { type: 'button', body: { text: 'Pick' }, action: { buttons: [{ type: 'reply', reply: { id: 'y', title: 'Yes' } }] } } },
  list: { type: 'interactive', interactive: { type: 'list', header: { type: 'text', text: 'Menu' }, body: { text: 'Choose' }, footer: { text: 'f' }, action: { button: 'Open', sections: [{ title: 'S', rows: [{ id: 'r1', title: 'Row', description: 'd' }] }] } } },
  cta_url: { type: 'interactive', interactive: { type: 'cta_url', body: { text: 'Visit' }, action: { name: 'cta_url', parameters: { display_text: 'Open', url: 'https://example.com' } } } },
  location_request: { type: 'interactive', interactive: { type: 'location_request_message', body: { text: 'Where?' }, action: { name: 'send_location' } } },
  reply: { type: 'text', context: { message_id: 'wamid.PREV' }, text: { body: 'replying' } },
};

describe('cloud sandbox: message shapes', () => {
  it.each(Object.entries(VALID))('accepts a documented %s request and keeps it in the outbox verbatim', async (_kind, payload) => {
    const body = { messaging_product: 'whatsapp', recipient_type: 'individual', to: `+${CUSTOMER}`, ...payload };
    const res = await graphSend(body);
    expect(res.status).toBe(200);
    expect(res.body.contacts).toEqual([{ input: `+${CUSTOMER}`, wa_id: CUSTOMER }]);
    expect(res.body.messages[0].id).toMatch(/^wamid\.[A-Za-z0-9+/=]{20,}$/);
    const [entry] = (await outbox()).filter((e) => e.id === res.body.messages[0].id);
    expect(entry).toMatchObject({ to: CUSTOMER, type: payload.type, status: 'accepted', request: body });
  });

  it.each([
    ['misspelt payload field', { type: 'text', text: { bdy: 'x' } }, 'Unexpected key "bdy" on param "text"'],
    ['unknown envelope field', { type: 'text', text: { body: 'x' }, recipient: 'x' }, 'Unexpected key "recipient"'],
    ['payload of another type', { type: 'text', text: { body: 'x' }, image: { link: 'x' } }, 'Unexpected key "image"'],
    ['media with both id and link', { type: 'image', image: { id: '1', link: 'https://x' } }, 'exactly one of {id, link}'],
    ['caption on audio', { type: 'audio', audio: { id: '1', caption: 'c' } }, 'Unexpected key "caption" on param "audio"'],
    ['four reply buttons', { type: 'interactive', interactive: { type: 'button', body: { text: 'b' }, action: { buttons: [1, 2, 3, 4].map((i) => ({ type: 'reply', reply: { id: `${i}`, title: 't' } })) } } }, 'at most 3'],
    ['unknown interactive type', { type: 'interactive', interactive: { type: 'carousel', body: { text: 'b' } } }, "interactive['type'] must be one of"],
    ['list row without title', { type: 'interactive', interactive: { type: 'list', body: { text: 'b' }, action: { button: 'B', sections: [{ rows: [{ id: 'r' }] }] } } }, "rows'][0]['title'] is required"],
    ['template language as string', { type: 'template', template: { name: 'hello_world', language: 'en_US' } }, "template['language'] must be a JSON object"],
    ['missing messaging_product', { messaging_product: undefined, type: 'text', text: { body: 'x' } }, 'messaging_product'],
  ])('rejects %s with Meta’s (#100) envelope', async (_name, payload, details) => {
    const res = await graphSend({ messaging_product: 'whatsapp', to: CUSTOMER, ...payload });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'OAuthException', code: 100, error_data: { messaging_product: 'whatsapp' } });
    expect(res.body.error.error_data.details).toContain(details);
    expect(res.body.error.fbtrace_id).toMatch(/^[A-Za-z0-9_-]{8,}$/);
    expect(await outbox()).toHaveLength(0);
  });

  it('answers a wrong bearer token with 401 code 190 and an unknown number with code 100 subcode 33', async () => {
    const bad = await graphSend(VALID.text, 'nope');
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe(190);
    const unknown = await post('/v23.0/999/messages', VALID.text, { authorization: `Bearer ${TOKEN}` });
    expect(unknown.body.error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('marks an inbound message as read, and refuses an unknown id', async () => {
    const inbound = await post(`/_control/numbers/${PNID}/inbound`, { from: CUSTOMER, type: 'text', payload: { body: 'yo' } });
    const ok = await graphSend({ messaging_product: 'whatsapp', status: 'read', message_id: inbound.body.message.id });
    expect(ok.body).toEqual({ success: true });
    expect(await (await fetch(`${base}/_control/numbers/${PNID}/reads`)).json()).toEqual([inbound.body.message.id]);
    const bad = await graphSend({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.nope' });
    expect(bad.body.error.code).toBe(100);
  });
});

describe('cloud sandbox: templates, errors and 360dialog', () => {
  const template = (name: string, params?: string[]) => ({
    messaging_product: 'whatsapp',
    to: '5511000000000',
    type: 'template',
    template: { name, language: { code: 'pt_BR' }, ...(params ? { components: [{ type: 'body', parameters: params.map((text) => ({ type: 'text', text })) }] } : {}) },
  });

  it('sends an existing template outside any window, refuses unknown ones (132001) and wrong parameter counts (132000)', async () => {
    await post(`/_control/numbers/${PNID}/templates`, { name: 'order_ready', language: 'pt_BR', category: 'UTILITY', components: [{ type: 'BODY', text: 'Olá {{1}}, pedido {{2}} pronto' }] });
    const ok = await graphSend(template('order_ready', ['Ana', '42']));
    expect(ok.status).toBe(200);
    expect(ok.body.messages[0].message_status).toBe('accepted');
    const missing = await graphSend(template('order_gone', ['Ana', '42']));
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe(132001);
    const params = await graphSend(template('order_ready', ['Ana']));
    expect(params.body.error.code).toBe(132000);
    const list = await (await fetch(`${base}/v23.0/${WABA}/message_templates?name=order_ready`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
    expect(list.data).toEqual([expect.objectContaining({ name: 'order_ready', language: 'pt_BR', status: 'APPROVED', category: 'UTILITY' })]);
  });

  it.each([130429, 131056, 80007])('injects rate limit %i once, then sends again', async (code) => {
    await post(`/_control/numbers/${PNID}/errors`, { code, count: 1 });
    const limited = await graphSend({ messaging_product: 'whatsapp', to: CUSTOMER, ...VALID.text });
    expect(limited.status).toBe(400);
    expect(limited.body.error.code).toBe(code);
    const next = await graphSend({ messaging_product: 'whatsapp', to: CUSTOMER, ...VALID.text });
    expect(next.status).toBe(200);
  });

  it('360dialog: same bodies at /messages with D360-API-KEY; a wrong key is 401', async () => {
    const body = { messaging_product: 'whatsapp', to: CUSTOMER, ...VALID.list };
    const ok = await post('/messages', body, { 'D360-API-KEY': D360_KEY });
    expect(ok.status).toBe(200);
    expect((await outbox('200000000000001'))[0]).toMatchObject({ id: ok.body.messages[0].id, request: body });
    const bad = await post('/messages', body, { 'D360-API-KEY': 'wrong' });
    expect(bad.status).toBe(401);
    expect(bad.body.meta).toMatchObject({ success: false, http_code: 401 });
    const misspelt = await post('/messages', { ...body, interactive: { ...VALID.list.interactive as object, actoin: {} } }, { 'D360-API-KEY': D360_KEY });
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.error.code).toBe(100);
  });
});
