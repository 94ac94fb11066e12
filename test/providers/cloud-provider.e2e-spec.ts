import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, Types } from 'mongoose';
import { createHmac } from 'node:crypto';
import { FILES, MediaServer } from '../messages/messaging-harness';
import { verify } from '../webhooks/receiver';
import { ApiClient } from '../harness/http';
import { startTestApp } from '../harness/test-app';
import { CloudRig, eventually, META, RIG_CREDENTIALS_KEY, startCloudRig } from './cloud-harness';

jest.setTimeout(90_000);

const CUSTOMER = '5521977770001';
const STRANGER = '5521977770002';

/** The official API (Meta Cloud API flavour) end to end: setup, every outbound kind, inbound, statuses, errors. */
describe('whatsappcloud channel against the offline Cloud API', () => {
  let rig: CloudRig;
  let media: MediaServer;
  let channel: any;
  let sessionId: string;
  let secret: string;

  beforeAll(async () => {
    media = new MediaServer();
    await media.start(1000);
    rig = await startCloudRig('cloudmeta', 'acc-cloud-meta');
    channel = await rig.setupMeta();
    secret = channel.platforms[0].secret;
    // The customer writes first: that opens the 24 h window (and the conversation).
    await rig.inbound(META.phoneNumberId, CUSTOMER, 'text', { body: 'Oi, quero ajuda' });
    sessionId = await rig.startConversation(channel, CUSTOMER);
  });
  afterAll(async () => {
    await rig?.close();
    await media?.stop();
  });

  const post = (kind: string, body: Record<string, unknown>) => rig.acc.post(`/messages/${kind}`, { sessionId, ...body });
  /** Sends through the API, waits for `sent`, and returns the fake's outbox entry of that wamid. */
  const sendAndFetch = async (kind: string, body: Record<string, unknown>) => {
    const res = await post(kind, body);
    expect(res.status).toBe(202);
    const sent = await rig.waitFor(res.body.id, (m) => m.status !== 'queued' && m.status !== 'sending', 'sent');
    expect(sent.status).toBe('sent');
    expect(sent.waMessageId).toMatch(/^wamid\./);
    const entry = (await rig.outbox(META.phoneNumberId)).find((e) => e.id === sent.waMessageId);
    expect(entry).toBeDefined();
    return { message: sent, request: entry.request };
  };

  it('stores the credentials encrypted and shows previews only', async () => {
    const body = JSON.stringify(channel);
    for (const value of [META.accessToken, META.appSecret, META.verifyToken]) expect(body).not.toContain(value);
    expect(channel).toMatchObject({ service: 'whatsappcloud', provider: { phoneNumberId: META.phoneNumberId, wabaId: META.wabaId, apiVersion: 'v21.0' } });
    expect(channel.credentials).toEqual({ accessToken: '…cdef', appSecret: '…6789', webhookVerifyToken: '…6789' });
    const read = await rig.acc.get(`/channels/${channel.id}`);
    expect(JSON.stringify(read.body)).not.toContain(META.accessToken);
    // At rest: the stored document holds AES-GCM ciphertext, not the token.
    const stored = await rig.t.app.get<Connection>(getConnectionToken()).collection('channels').findOne({ _id: new Types.ObjectId(channel.id) });
    expect(stored!.credentials).toMatch(/^v1:[0-9a-f]{8}:/);
    expect(JSON.stringify(stored)).not.toContain(META.accessToken);
    expect(JSON.stringify(stored)).not.toContain(META.appSecret);
  });

  it("answers Meta's subscription check only with the verify token", async () => {
    const ok = await fetch(`${rig.t.baseUrl}/providers/whatsappcloud/${channel.id}/webhook?hub.mode=subscribe&hub.verify_token=${META.verifyToken}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(`${rig.t.baseUrl}/providers/whatsappcloud/${channel.id}/webhook?hub.mode=subscribe&hub.verify_token=nope-nope-nope&hub.challenge=1`);
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).code).toBe('WEBHOOK_VERIFICATION_FAILED');
  });

  it('refuses forged, unsigned and wrongly signed deliveries with 401 and stores nothing', async () => {
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: META.wabaId, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: META.phoneNumberId }, messages: [{ from: CUSTOMER, id: 'wamid.FORGED', timestamp: '1', type: 'text', text: { body: 'forged' } }] } }] }] });
    const url = `${rig.t.baseUrl}/providers/whatsappcloud/${channel.id}/webhook`;
    const attempt = (headers: Record<string, string>) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const signed = (key: string) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
    const forgeries: Record<string, string>[] = [{}, { 'x-hub-signature-256': signed('another-app-secret') }, { 'x-hub-signature-256': 'sha256=00' }];
    for (const headers of forgeries) {
      const res = await attempt(headers);
      expect(res.status).toBe(401);
      expect((await res.json()).code).toBe('WEBHOOK_SIGNATURE_INVALID');
    }
    const history = await rig.acc.get(`/conversations/${sessionId}/messages`);
    expect(history.status).toBe(200);
    expect(JSON.stringify(history.body)).not.toContain('wamid.FORGED');
    // The same bytes signed with the app secret are accepted (the check is over the raw body) and stored before the 200.
    expect((await attempt({ 'x-hub-signature-256': signed(META.appSecret) })).status).toBe(200);
    await eventually(() => rig.acc.get(`/conversations/${sessionId}/messages`), (r) => JSON.stringify(r.body).includes('wamid.FORGED'), 10_000, 'signed delivery stored');
    const unknown = await fetch(`${rig.t.baseUrl}/providers/whatsappcloud/64ef5c84f9deb1326965919e/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signed(META.appSecret) }, body });
    expect(unknown.status).toBe(404);
  });

  it('delivers an inbound message to the platform as a signed message.received', async () => {
    const wamid = (await rig.inbound(META.phoneNumberId, CUSTOMER, 'text', { body: 'Qual o prazo de entrega?' })).id;
    const hit = await eventually(async () => rig.receiver.ofType('message.received').map((r) => verify(secret, r)), (all) => all.some((e: any) => e.data.message.waMessageId === wamid), 20_000, 'message.received');
    const event = hit.find((e: any) => e.data.message.waMessageId === wamid);
    expect(event.data.message).toMatchObject({ kind: 'text', body: 'Qual o prazo de entrega?', chatId: `${CUSTOMER}@c.us`, fromMe: false, sender: { name: 'Cliente' } });
  });

  it('marks a received message as read at Meta, and names the wamid providerMessageId too', async () => {
    const wamid = (await rig.inbound(META.phoneNumberId, CUSTOMER, 'text', { body: 'Leu?' })).id;
    const events = await eventually(async () => rig.receiver.ofType('message.received').map((r) => verify(secret, r)), (all) => all.some((e: any) => e.data.message.waMessageId === wamid), 20_000, 'message.received');
    const received = events.find((e: any) => e.data.message.waMessageId === wamid).data.message;
    expect(received.providerMessageId).toBe(wamid);
    const res = await rig.acc.post(`/messages/${received.id}/read`, {});
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ messageId: received.id, read: true });
    expect(await rig.control('GET', `/numbers/${META.phoneNumberId}/reads`)).toContain(wamid);
    const { message } = await sendAndFetch('send', { agentName: 'Maria', text: 'minha' });
    expect(message.providerMessageId).toBe(message.waMessageId);
    const own = await rig.acc.post(`/messages/${message.id}/read`, {});
    expect(own.status).toBe(422);
    expect(own.body.code).toBe('MESSAGE_NOT_INBOUND');
  });

  it('sends text with the link preview flag and the agent name', async () => {
    const { request } = await sendAndFetch('send', { agentName: 'Maria', text: 'Veja https://exemplo.com', linkPreview: true });
    expect(request).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: CUSTOMER, type: 'text', text: { body: '*Maria*:\nVeja https://exemplo.com', preview_url: true } });
  });

  it('uploads fetched media and sends it by id with caption and file name', async () => {
    const image = await sendAndFetch('send', { agentName: 'Maria', mediaUri: media.url('/photo.png'), caption: 'Foto', showAgentName: false });
    expect(image.request).toMatchObject({ type: 'image', image: { id: expect.stringMatching(/^\d+$/), caption: 'Foto' } });
    const stored = rig.fake.state.media.get((image.request.image as any).id)!;
    expect(stored.bytes.equals(FILES.png)).toBe(true);
    const doc = await sendAndFetch('send', { agentName: 'Maria', mediaUri: media.url('/files/relatório.pdf'), showAgentName: false });
    expect(doc.request).toMatchObject({ type: 'document', document: { id: expect.any(String), filename: 'relatório.pdf' } });
  });

  it('sends contacts, location, a reply and a reaction', async () => {
    const contacts = await sendAndFetch('contacts', { contacts: [{ name: 'Suporte', phone: '+55 21 3333-4444' }] });
    expect(contacts.request).toMatchObject({ type: 'contacts', contacts: [{ name: { formatted_name: 'Suporte' }, phones: [expect.objectContaining({ phone: expect.stringContaining('2133334444') })] }] });
    const location = await sendAndFetch('location', { latitude: -22.9, longitude: -43.2, name: 'Loja' });
    expect(location.request).toMatchObject({ type: 'location', location: { latitude: -22.9, longitude: -43.2, name: 'Loja' } });
    const reply = await sendAndFetch('send', { agentName: 'Maria', text: 'respondendo', quotedMessageId: location.message.id, showAgentName: false });
    expect(reply.request).toMatchObject({ context: { message_id: location.message.waMessageId }, text: { body: 'respondendo' } });
    const react = await rig.acc.post('/messages/reaction', { sessionId, messageId: location.message.id, emoji: '👍' });
    expect([200, 202]).toContain(react.status);
    const entry = await eventually(() => rig.outbox(META.phoneNumberId), (o) => o.some((e: any) => e.type === 'reaction'), 10_000, 'reaction in outbox');
    expect(entry.find((e: any) => e.type === 'reaction').request).toMatchObject({ reaction: { message_id: location.message.waMessageId, emoji: '👍' } });
    // Meta does not echo our reaction: the server stores it itself.
    await rig.waitFor(location.message.id, (m) => (m.reactions ?? []).some((r: any) => r.emoji === '👍'), 'reaction stored');
  });

  it('sends interactive buttons, a list, a CTA URL and a location request (guide 5.7, 5.10)', async () => {
    const buttons = await sendAndFetch('interactive', { type: 'button', header: 'Atendimento', body: 'Escolha', footer: 'Loja', buttons: [{ id: 'yes', title: 'Sim' }, { id: 'no', title: 'Não' }] });
    expect(buttons.request).toMatchObject({
      type: 'interactive',
      interactive: { type: 'button', header: { type: 'text', text: 'Atendimento' }, body: { text: 'Escolha' }, footer: { text: 'Loja' }, action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Sim' } }, { type: 'reply', reply: { id: 'no', title: 'Não' } }] } },
    });
    expect(buttons.message).toMatchObject({ kind: 'interactive', interactive: { type: 'button' } });
    const list = await sendAndFetch('interactive', { type: 'list', body: 'Planos', buttonText: 'Ver planos', sections: [{ title: 'Mensal', rows: [{ id: 'p1', title: 'Básico', description: 'R$ 10' }] }] });
    expect(list.request).toMatchObject({ interactive: { type: 'list', action: { button: 'Ver planos', sections: [{ title: 'Mensal', rows: [{ id: 'p1', title: 'Básico', description: 'R$ 10' }] }] } } });
    const cta = await sendAndFetch('interactive', { type: 'cta_url', body: 'Seu pedido', displayText: 'Abrir', url: 'https://loja.exemplo.com/p/1' });
    expect(cta.request).toMatchObject({ interactive: { type: 'cta_url', action: { name: 'cta_url', parameters: { display_text: 'Abrir', url: 'https://loja.exemplo.com/p/1' } } } });
    const where = await sendAndFetch('location-request', { text: 'Onde você está?' });
    expect(where.request).toMatchObject({ interactive: { type: 'location_request_message', body: { text: 'Onde você está?' }, action: { name: 'send_location' } } });
    const bad = await post('interactive', { type: 'list', body: 'x', sections: [{ rows: [{ id: 'a', title: 'A' }] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('buttonText');
  });

  it('turns a tap on a reply button into message.received with interactiveReply', async () => {
    const wamid = (await rig.inbound(META.phoneNumberId, CUSTOMER, 'interactive', { type: 'button_reply', button_reply: { id: 'yes', title: 'Sim' } })).id;
    const events = await eventually(async () => rig.receiver.ofType('message.received').map((r) => verify(secret, r)), (all) => all.some((e: any) => e.data.message.waMessageId === wamid), 20_000, 'button reply');
    expect(events.find((e: any) => e.data.message.waMessageId === wamid).data.message).toMatchObject({ kind: 'text', body: 'Sim', interactiveReply: { type: 'button_reply', id: 'yes', title: 'Sim' } });
  });

  it('refuses free-form messages outside the 24 h window up front; templates go, and must exist', async () => {
    const to = await rig.startConversation(channel, STRANGER);
    const text = await rig.acc.post('/messages/send', { sessionId: to, agentName: 'Maria', text: 'Olá' });
    expect(text.status).toBe(422);
    expect(text.body).toMatchObject({ code: 'OUTSIDE_SERVICE_WINDOW', details: { lastInboundAt: null, windowHours: 24 } });
    const missing = await rig.acc.post('/messages/template', { sessionId: to, name: 'nao_existe', language: 'pt_BR' });
    expect(missing.status).toBe(422);
    expect(missing.body.code).toBe('TEMPLATE_NOT_FOUND');
    const res = await rig.acc.post('/messages/template', { sessionId: to, name: 'hello_world', language: 'en_US' });
    expect(res.status).toBe(202);
    const sent = await rig.waitFor(res.body.id, (m) => m.status === 'sent', 'template sent');
    const entry = (await rig.outbox(META.phoneNumberId)).find((e) => e.id === sent.waMessageId);
    expect(entry.request).toMatchObject({ to: STRANGER, type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } });
    const templates = await rig.acc.get(`/channels/${channel.id}/templates`);
    expect(templates.status).toBe(200);
    expect(templates.body).toEqual([expect.objectContaining({ name: 'hello_world', language: 'en_US', status: 'APPROVED', category: 'UTILITY' })]);
  });

  it("maps Meta's 131047 (window closed at Meta) and failed statuses to failed messages with a reason", async () => {
    // Meta's clock says the window closed although ours saw the customer write: Meta's answer wins.
    await rig.control('POST', '/clock', { advanceMs: 25 * 3600_000 });
    try {
      const res = await post('send', { agentName: 'Maria', text: 'tarde demais' });
      expect(res.status).toBe(202);
      const failed = await rig.waitFor(res.body.id, (m) => m.status === 'failed', 'failed by status');
      expect(failed.statusReason).toMatch(/^OUTSIDE_SERVICE_WINDOW: \(#131047\)/);
      const status = await eventually(async () => rig.receiver.ofType('message.status').map((r) => verify(secret, r)), (all) => all.some((e: any) => e.data.messageId === res.body.id && e.data.status === 'failed'), 20_000, 'failed status webhook');
      expect(status.find((e: any) => e.data.messageId === res.body.id && e.data.status === 'failed').data).toMatchObject({ reason: expect.stringMatching(/^OUTSIDE_SERVICE_WINDOW/), providerError: { code: 131047 } });
    } finally {
      await rig.control('POST', '/clock', { advanceMs: -25 * 3600_000 });
    }
  });

  it('delivers delivered and read statuses with pricing', async () => {
    const { message } = await sendAndFetch('send', { agentName: 'Maria', text: 'status?' });
    for (const status of ['delivered', 'read']) await rig.control('POST', `/numbers/${META.phoneNumberId}/statuses`, { id: message.waMessageId, status });
    await rig.waitFor(message.id, (m) => m.status === 'read', 'read');
    const events = await eventually(async () => rig.receiver.ofType('message.status').map((r) => verify(secret, r)), (all) => all.some((e: any) => e.data.messageId === message.id && e.data.status === 'read'), 20_000, 'read webhook');
    expect(events.find((e: any) => e.data.messageId === message.id && e.data.status === 'delivered').data).toMatchObject({ pricing: { category: 'service' } });
  });

  it('retries throttling (130429) inside the queue and fails permanent errors with a reason', async () => {
    await rig.control('POST', `/numbers/${META.phoneNumberId}/errors`, { code: 130429, count: 1 });
    const throttled = await post('send', { agentName: 'Maria', text: 'depois do limite' });
    await rig.waitFor(throttled.body.id, (m) => m.status === 'sent', 'sent after throttling');
    await rig.control('POST', `/numbers/${META.phoneNumberId}/errors`, { code: 100, count: 1 });
    const rejected = await post('send', { agentName: 'Maria', text: 'rejeitada' });
    const failed = await rig.waitFor(rejected.body.id, (m) => m.status === 'failed', 'failed');
    expect(failed.statusReason).toMatch(/^PROVIDER_REJECTED: \(#100\)/);
    await rig.control('POST', `/numbers/${META.phoneNumberId}/errors`, { code: 131026, count: 1 });
    const undeliverable = await post('send', { agentName: 'Maria', text: 'inalcançável' });
    expect((await rig.waitFor(undeliverable.body.id, (m) => m.status === 'failed', 'undeliverable')).statusReason).toMatch(/^UNDELIVERABLE/);
  });

  it('keeps the order of a chat when two server processes accept its messages', async () => {
    const second = await startTestApp('cloudmeta2', { __DATABASE: rig.t.database, WHATSAPP_CLOUD_API_URL: rig.fake.url, D360_API_URL: rig.fake.url, PROVIDER_CREDENTIALS_KEY: RIG_CREDENTIALS_KEY });
    try {
      const other = new ApiClient(second.baseUrl, rig.acc.key);
      // The first send is throttled (waits ~2 s in its job): the others queue up behind it meanwhile, and a
      // second process's worker must not take them past it.
      await rig.control('POST', `/numbers/${META.phoneNumberId}/errors`, { code: 130429, count: 1 });
      const ids: string[] = [];
      for (let i = 0; i < 16; i++) {
        const client = i % 2 === 0 ? rig.acc : other;
        const res = await client.post('/messages/send', { sessionId, agentName: 'Maria', text: `ordem ${i}`, showAgentName: false });
        expect(res.status).toBe(202);
        ids.push(res.body.id);
      }
      for (const id of ids) await rig.waitFor(id, (m) => m.status === 'sent', 'sent by either process');
      const order = (await rig.outbox(META.phoneNumberId)).map((e) => (e.request.text as any)?.body).filter((b) => /^ordem \d+$/.test(b ?? ''));
      expect(order).toEqual(ids.map((_, i) => `ordem ${i}`));
    } finally {
      await second.close();
    }
  });

  it('answers 422 ENGINE_FEATURE_UNSUPPORTED for what the Cloud API lacks, before queueing', async () => {
    const { message } = await sendAndFetch('send', { agentName: 'Maria', text: 'para encaminhar' });
    const before = (await rig.outbox(META.phoneNumberId)).length;
    const forward = await rig.acc.post('/messages/forward', { sessionId, messageId: message.id });
    expect(forward.status).toBe(422);
    expect(forward.body).toMatchObject({ code: 'ENGINE_FEATURE_UNSUPPORTED', details: { feature: 'forward', service: 'whatsappcloud' } });
    const del = await rig.acc.post('/messages/delete', { messageId: message.id, channelSlug: 'karoochat', senderId: '5521933330001' });
    expect(del.status).toBe(422);
    expect(del.body.details).toMatchObject({ feature: 'delete', service: 'whatsappcloud' });
    const qr = await rig.acc.get(`/channels/${channel.id}/session`);
    expect(qr.status).toBe(422);
    expect(qr.body.details).toMatchObject({ feature: 'session', service: 'whatsappcloud' });
    expect((await rig.outbox(META.phoneNumberId)).length).toBe(before);
  });
});
