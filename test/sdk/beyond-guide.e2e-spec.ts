import {
  ContactApi,
  MessageApi,
  OmnichannelClient,
  OmnichannelError,
  SetupApi,
  WebhookApi,
  WhatsappWebUtils,
  type Message,
} from '@cirrus/omnichannel_api';
import { createServer, Server } from 'node:http';
import { accountClient, ApiClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { WebhookReceiver } from '../webhooks/receiver';
import { close, listen } from './support/browser-harness';

jest.setTimeout(90_000);

/** 1x1 PNG (stickers accept WebP, PNG or JPEG). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const CUSTOMER = '5521988887777';

async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What the server offers beyond the guide, through the SDK wired by hand (`new XApi(client)`). */
describe('SDK beyond the guide: sessions, every message kind, conversations, history, delivery log and replay, channels', () => {
  let t: TestApp;
  let account: ApiClient;
  let receiver: WebhookReceiver;
  let files: Server;
  let filesUrl: string;
  let setupApi: SetupApi;
  let contactApi: ContactApi;
  let messageApi: MessageApi;
  let webhookApi: WebhookApi;
  let whatsapp: WhatsappWebUtils;
  let channelId: string;
  let platformConfigId: string;
  let sessionId: string;
  let sentText: Message;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    files = createServer((req, res) => (req.url === '/sticker.png' ? res.writeHead(200, { 'content-type': 'image/png' }).end(PNG) : res.writeHead(404).end()));
    filesUrl = `http://127.0.0.1:${await listen(files)}`;
    t = await startTestApp('sdkmore', { WHATSAPP_ENGINE: 'sandbox', WEBHOOK_RETRY_DELAYS_MS: '0,100', WEBHOOK_SWEEP_INTERVAL_MS: '1000' });
    account = await accountClient(new ApiClient(t.baseUrl, t.adminKey), 'acc-sdk-more');
    const client = new OmnichannelClient({ baseUrl: t.baseUrl, apiKey: account.key });
    setupApi = new SetupApi(client);
    contactApi = new ContactApi(client);
    messageApi = new MessageApi(client);
    webhookApi = new WebhookApi(client);
    whatsapp = new WhatsappWebUtils(client);
  });

  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
    await close(files);
  });

  it('sets up a channel, makes an onboarding link from the number alone, and follows the session to READY', async () => {
    const created = await setupApi.setup(
      {
        provider: { clientNumber: '5521977776666', companyId: 'acme' },
        startingPlatform: 'crm',
        platforms: [{ slug: 'crm', callbackUrl: `${receiver.url}/hook` }],
      },
      'whatsappweb',
    );
    channelId = created.channelId;
    platformConfigId = created.platformConfigId;
    const link = await whatsapp.createOnboardingLink({ providerId: '+55 (21) 97777-6666' });
    expect(link).toMatchObject({ channelId, platformConfigId, url: expect.stringContaining('/onboarding/') });
    expect(new Date(link.expiresAt).getTime()).toBeGreaterThan(Date.now());
    await eventually(() => whatsapp.getSession({ channelId }), (s) => s.state === 'QR', 'a QR');
    expect((await whatsapp.getQr({ channelId })).qr).toEqual(expect.any(String));
    expect((await account.post(`/sandbox/channels/${channelId}/link`, {})).status).toBe(200);
    expect(await whatsapp.getSession({ channelId })).toMatchObject({ channelId, state: 'READY', linked: true });
  });

  it('starts a conversation and sends text with an Idempotency-Key only once', async () => {
    const conversation = await messageApi.startConversation({ platformConfigId, channelId, clientProviderId: CUSTOMER, companyName: 'ACME' });
    sessionId = conversation.id;
    const first = await messageApi.sendMessage({ sessionId, agentName: 'Ana', text: 'Oi', showAgentName: false }, { idempotencyKey: 'order-42' });
    const again = await messageApi.sendMessage({ sessionId, agentName: 'Ana', text: 'Oi', showAgentName: false }, { idempotencyKey: 'order-42' });
    expect(again.id).toBe(first.id);
    sentText = await eventually(() => messageApi.getMessage({ messageId: first.id }), (m) => m.status === 'sent' || m.status === 'delivered', 'sent');
    expect(sentText.body).toBe('Oi');
  });

  it('sends a sticker, contact cards, a location, an address, a reaction and a forward', async () => {
    const sticker = await messageApi.sendSticker({ sessionId, mediaUri: `${filesUrl}/sticker.png` });
    expect(sticker.kind).toBe('sticker');
    const cards = await messageApi.sendContacts({ sessionId, contacts: [{ name: 'Maria Souza', phone: '5521999998888' }] });
    expect(cards.kind).toBe('contacts');
    const location = await messageApi.sendLocation({ sessionId, latitude: -22.9519, longitude: -43.2105, name: 'Cristo Redentor' });
    expect(location).toMatchObject({ kind: 'location', location: { latitude: -22.9519, longitude: -43.2105 } });
    const address = await messageApi.sendAddress({ sessionId, latitude: -22.9, longitude: -43.17, name: 'Loja Centro', address: 'Rua da Assembleia, 10' });
    expect(address).toMatchObject({ kind: 'location', location: { name: 'Loja Centro', address: 'Rua da Assembleia, 10' } });
    const reaction = await messageApi.sendReaction({ sessionId, messageId: sentText.id, emoji: '👍' });
    expect(reaction).toMatchObject({ state: 'done', emoji: '👍', message: { id: sentText.id } });
    const forward = await messageApi.forwardMessage({ sessionId, messageId: sentText.id });
    expect(forward.isForwarded).toBe(true);
    for (const m of [sticker, cards, location, address, forward])
      await eventually(() => messageApi.getMessage({ messageId: m.id }), (x) => x.status === 'sent' || x.status === 'delivered', `${m.kind} sent`);
    const outbox = (await account.get(`/sandbox/channels/${channelId}/outbox`)).body as any[];
    expect(outbox.filter((e) => e.kind === 'message').map((e) => e.type)).toEqual(expect.arrayContaining(['chat', 'sticker', 'vcard', 'location']));
    expect(outbox).toContainEqual(expect.objectContaining({ kind: 'reaction', emoji: '👍' }));
  });

  it('surfaces what WhatsApp Web cannot do as the typed 422 error', async () => {
    const interactive = await messageApi.sendInteractive({ sessionId, type: 'button', body: 'Escolha', buttons: [{ id: 'y', title: 'Sim' }] }).catch((e: unknown) => e);
    expect(interactive).toBeInstanceOf(OmnichannelError);
    expect(interactive).toMatchObject({ status: 422, code: 'ENGINE_FEATURE_UNSUPPORTED', details: expect.objectContaining({ feature: 'interactive' }) });
    const ask = await messageApi.requestLocation({ sessionId, text: 'Onde você está?' }).catch((e: unknown) => e);
    expect(ask).toMatchObject({ status: 422, code: 'ENGINE_FEATURE_UNSUPPORTED' });
  });

  it('reads conversations and the message history', async () => {
    const list = await messageApi.getConversations({ channelId, status: 'open' });
    expect(list).toMatchObject({ total: 1, data: [{ id: sessionId }] });
    const history = await messageApi.getConversationMessages({ conversationId: sessionId, order: 'asc', limit: 100 });
    expect(history.data[0].id).toBe(sentText.id);
    expect(history.total).toBe(6);
    const contactId = (await messageApi.getConversation({ conversationId: sessionId })).contactId;
    const ofContact = await contactApi.getMessages({ contactId, limit: 1 });
    expect(ofContact).toMatchObject({ total: 6, limit: 1, totalPages: 6, data: [{ contactId }] });
    expect((await messageApi.getContactMessages({ contactId, limit: 1 })).total).toBe(6);
  });

  it('ends a conversation; sends to it then fail with CONVERSATION_ENDED', async () => {
    expect(await messageApi.endConversation({ conversationId: sessionId })).toMatchObject({ id: sessionId, status: 'ended' });
    const error = await messageApi.sendMessage({ sessionId, agentName: 'Ana', text: 'ainda aí?' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'OmnichannelError', status: 422, code: 'CONVERSATION_ENDED', requestId: expect.any(String) });
  });

  it('reads the delivery log, and replays one event and every dead one of an endpoint', async () => {
    receiver.reply = () => ({ status: 500 });
    const inbound = await account.post(`/sandbox/channels/${channelId}/inbound`, { from: CUSTOMER, text: 'Olá?' });
    expect(inbound.status).toBeLessThan(300);
    const dead = await eventually(
      () => webhookApi.getEvents({ channelId, type: 'message.received' }),
      (p) => p.data[0]?.state === 'dead',
      'a dead message.received event',
    );
    const eventId = dead.data[0].eventId;
    const detail = await webhookApi.getEvent({ eventId });
    expect(detail).toMatchObject({ eventId, platform: 'crm', state: 'dead', payload: { type: 'message.received', channelId } });
    expect(detail.attempts.map((a) => a.status)).toEqual([500, 500]);

    receiver.reply = () => ({ status: 200 });
    const replayed = await webhookApi.replayEvent({ eventId });
    expect(replayed.eventId).toBe(eventId);
    await eventually(() => webhookApi.getEvent({ eventId }), (e) => e.state === 'delivered', 'redelivery');
    const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
    expect(ids.has(eventId)).toBe(true);

    receiver.reply = () => ({ status: 500 });
    const since = new Date().toISOString();
    await account.post(`/sandbox/channels/${channelId}/inbound`, { from: CUSTOMER, text: 'Alô?' });
    await eventually(() => webhookApi.getEvents({ channelId, state: 'dead', since }), (p) => p.total === 1, 'a second dead event');
    receiver.reply = () => ({ status: 200 });
    const bulk = await webhookApi.replay({ channelId, platform: 'crm', since });
    expect(bulk).toMatchObject({ replayed: 1, more: false, eventIds: [expect.any(String)] });
    await eventually(() => webhookApi.getEvents({ channelId, state: 'delivered', since }), (p) => p.total === 1, 'bulk redelivery');
  });

  it('manages channels and their platform endpoints', async () => {
    expect((await setupApi.getChannels()).map((c) => c.id)).toEqual([channelId]);
    expect(await setupApi.updateChannel({ channelId, description: 'Loja', provider: { companyId: 'acme-2' } })).toMatchObject({
      description: 'Loja',
      provider: { clientNumber: '5521977776666', companyId: 'acme-2' },
    });
    const added = await setupApi.addPlatform({ channelId, slug: 'erp', callbackUrl: `${receiver.url}/erp` });
    expect(added.secret).toMatch(/^whsec_/);
    expect((await setupApi.getPlatforms({ channelId })).map((p) => p.slug).sort()).toEqual(['crm', 'erp']);
    expect(await setupApi.updatePlatform({ channelId, slug: 'erp', enabled: false })).toMatchObject({ slug: 'erp', enabled: false });
    const rotated = await setupApi.rotatePlatformSecret({ channelId, slug: 'erp' });
    expect(rotated.secret).not.toBe(added.secret);
    expect(rotated.secret.startsWith(rotated.secretPreview.replace('…', ''))).toBe(true);
    expect(await setupApi.getPlatform({ channelId, slug: 'erp' })).toMatchObject({ secretPreview: rotated.secretPreview });
    expect(await setupApi.removePlatform({ channelId, slug: 'erp' })).toEqual({ slug: 'erp', deleted: true });
    expect(await whatsapp.logout({ channelId })).toMatchObject({ channelId, linked: false });
    expect(await setupApi.deleteChannel({ channelId })).toEqual({ id: channelId, deleted: true });
    await expect(setupApi.getChannel({ channelId })).rejects.toMatchObject({ status: 404, code: 'CHANNEL_NOT_FOUND' });
  });
});
