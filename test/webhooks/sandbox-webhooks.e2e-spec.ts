import { MessagesRepository } from '../../src/messages/messages.repository';
import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { chromiumUnder, nextNumber, waitForState } from '../whatsapp/whatsapp-helpers';
import { Received, verify, waitFor, WebhookReceiver } from './receiver';

jest.setTimeout(120_000);

const ACC = 'acc-whsbx';
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const GROUP = '120363025555555551@g.us';

/**
 * Through the sandbox: the real whatsapp-web.js client in Chromium plays WhatsApp, the server
 * stores and routes, local receivers play the platforms. Every event kind must arrive signed
 * (verified with the standardwebhooks library) at the platform the routing rules choose.
 */
describe('webhooks through the WhatsApp Web sandbox', () => {
  let t: TestApp;
  let acc: ApiClient;
  let channelId: string;
  let platformConfigId: string;
  const start = new WebhookReceiver();
  const alt = new WebhookReceiver();
  const secrets: Record<string, string> = {};
  const receivers: Record<string, WebhookReceiver> = { start, alt };

  beforeAll(async () => {
    await start.start();
    await alt.start();
    t = await startTestApp('whsandbox', { WEBHOOK_RETRY_DELAYS_MS: '0,300,600', SEND_MIN_INTERVAL_MS: '0' });
    acc = await accountClient(new ApiClient(t.baseUrl, t.adminKey), ACC);
    const res = await acc.post('/channels/setup/whatsappweb', {
      provider: { clientNumber: nextNumber(), companyId: 'c1' },
      startingPlatform: 'start',
      platforms: [
        { slug: 'start', callbackUrl: `${start.url}/hook` },
        { slug: 'alt', callbackUrl: `${alt.url}/hook` },
      ],
    });
    expect(res.status).toBe(201);
    channelId = res.body.id;
    platformConfigId = res.body.platformConfigId;
    for (const p of res.body.platforms) secrets[p.slug] = p.secret;
  });

  afterAll(async () => {
    await t?.close();
    await start.stop();
    await alt.stop();
    expect(chromiumUnder(t.config.storage.dataDir)).toEqual([]);
  });

  const sbx = (path: string) => `/sandbox/channels/${channelId}${path}`;
  /** The webhook matching `match` at one platform, its signature verified with that platform's secret. */
  async function arrived(slug: string, match: (p: any) => boolean, what = 'webhook'): Promise<any> {
    const r = receivers[slug];
    const raw = await waitFor(`${what} at ${slug}`, () => r.received.find((x: Received) => match(JSON.parse(x.body))), 20_000);
    const payload = verify(secrets[slug], raw);
    expect(raw.headers['webhook-id']).toBe(payload.id);
    return payload;
  }
  const received = (id: string) => (p: any) => p.type === 'message.received' && p.data.message.waMessageId === id;
  async function inbound(body: Record<string, unknown>): Promise<string> {
    const res = await acc.post(sbx('/inbound'), body);
    expect(res.status).toBe(201);
    return res.body.messageId;
  }

  it('reports the session coming up to every platform (session.status)', async () => {
    const linked = await acc.post(sbx('/link'), {});
    expect(linked.body.state).toBe('READY');
    for (const slug of ['start', 'alt']) {
      const ready = await arrived(slug, (p) => p.type === 'session.status' && p.data.state === 'READY', 'READY');
      expect(ready).toMatchObject({ version: 1, chat: null, channelId, platform: slug, data: { state: 'READY', me: expect.stringMatching(/@c\.us$/) } });
      await arrived(slug, (p) => p.type === 'session.status' && p.data.state === 'STARTING', 'STARTING');
    }
  });

  it('delivers text from an unknown number to the starting platform, creating the contact', async () => {
    const from = '5521966660001';
    const id = await inbound({ from, text: 'Oi, tudo bem?', senderName: 'Ana' });
    const p = await arrived('start', received(id));
    expect(p.data.message).toMatchObject({ kind: 'text', body: 'Oi, tudo bem?', fromMe: false, isGroup: false, sender: { id: `${from}@c.us`, name: 'Ana' } });
    expect(p.data.contact).toMatchObject({ contactIdentifier: from, type: 'individual', name: 'Ana' });
    expect((await acc.get(`/contacts/${p.data.contact.id}`)).status).toBe(200);
  });

  it('delivers media, stickers, locations, contact cards and replies', async () => {
    const from = '5521966660002';
    const image = await inbound({ from, media: { mimetype: 'image/png', dataBase64: PNG_BASE64, filename: 'p.png' }, caption: 'olha' });
    const img = await arrived('start', received(image));
    expect(img.data.message).toMatchObject({ kind: 'image', caption: 'olha', media: { mimetype: 'image/png', url: expect.any(String) } });
    const file = await fetch(img.data.message.media.url.replace(/^https?:\/\/[^/]+/, t.baseUrl));
    expect(Buffer.from(await file.arrayBuffer()).toString('base64')).toBe(PNG_BASE64);

    const sticker = await inbound({ from, type: 'sticker', media: { mimetype: 'image/webp', dataBase64: Buffer.from('RIFF\0\0\0\0WEBPVP8 ').toString('base64') } });
    expect((await arrived('start', received(sticker))).data.message).toMatchObject({ kind: 'sticker', media: { mimetype: 'image/webp' } });

    const location = await inbound({ from, location: { latitude: -22.95, longitude: -43.21, name: 'Cristo Redentor', address: 'Rio de Janeiro' } });
    expect((await arrived('start', received(location))).data.message).toMatchObject({
      kind: 'location',
      location: { latitude: -22.95, longitude: -43.21, name: 'Cristo Redentor', address: 'Rio de Janeiro' },
    });

    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nFN:Bia\nTEL;type=CELL;waid=5521955550001:+55 21 95555-0001\nEND:VCARD';
    const card = await inbound({ from, vcards: [vcard] });
    expect((await arrived('start', received(card))).data.message).toMatchObject({ kind: 'contacts', vcards: [vcard] });

    const reply = await inbound({ from, text: 'respondendo a foto', quotedMessageId: image });
    expect((await arrived('start', received(reply))).data.message).toMatchObject({ body: 'respondendo a foto', quotedWaMessageId: image });
  });

  it('delivers group messages and group joins and leaves', async () => {
    const author = '5521966660003';
    const id = await inbound({ from: GROUP, author, text: 'bom dia, grupo', senderName: 'Caio' });
    const p = await arrived('start', received(id));
    expect(p.chat.id).toBe(GROUP);
    expect(p.data.message).toMatchObject({ isGroup: true, sender: { id: `${author}@c.us` } });
    expect(p.data.contact).toMatchObject({ type: 'group', contactIdentifier: GROUP });

    expect((await acc.post(sbx(`/groups/${GROUP}/events`), { subtype: 'add', participants: ['5521966660004'], author })).status).toBeLessThan(300);
    expect((await acc.post(sbx(`/groups/${GROUP}/events`), { subtype: 'leave', participants: ['5521966660004'] })).status).toBeLessThan(300);
    const join = await arrived('start', (x) => x.type === 'group.join' && x.data.groupId === GROUP);
    expect(join.data).toMatchObject({ participants: ['5521966660004@c.us'], subtype: 'add', by: `${author}@c.us` });
    const leave = await arrived('start', (x) => x.type === 'group.leave' && x.data.groupId === GROUP);
    expect(leave.chat.seq).toBeGreaterThan(join.chat.seq);
  });

  it('delivers edits, reactions and revokes of a message', async () => {
    const from = '5521966660005';
    const id = await inbound({ from, text: 'primeira versão' });
    await arrived('start', received(id));
    expect((await acc.post(sbx(`/messages/${encodeURIComponent(id)}/edit`), { body: 'segunda versão' })).status).toBe(204);
    const edit = await arrived('start', (p) => p.type === 'message.edited' && p.data.waMessageId === id);
    expect(edit.data).toMatchObject({ body: 'segunda versão', previousBody: 'primeira versão' });
    expect((await acc.post(sbx(`/messages/${encodeURIComponent(id)}/react`), { emoji: '🎉' })).status).toBeLessThan(300);
    const reaction = await arrived('start', (p) => p.type === 'message.reaction' && p.data.waMessageId === id);
    expect(reaction.data).toMatchObject({ emoji: '🎉', removed: false, senderId: `${from}@c.us` });
    expect((await acc.post(sbx(`/messages/${encodeURIComponent(id)}/revoke`))).status).toBe(204);
    const revoke = await arrived('start', (p) => p.type === 'message.revoked' && p.data.waMessageId === id);
    expect(revoke.data).toMatchObject({ outcome: 'revoked' });
  });

  it("routes by open conversation, then the contact's platform; delivers acks of our sends there", async () => {
    const number = '5521966660006';
    const conv = await acc.post('/conversations/start/whatsappweb', {
      platformConfigId,
      channelId,
      clientProviderId: number,
      userName: 'Duda',
      companyName: 'Loja',
      platform: 'alt',
    });
    expect(conv.status).toBeLessThan(300);
    const sessionId = conv.body.id ?? conv.body.sessionId;
    const during = await inbound({ from: number, text: 'durante a conversa' });
    expect((await arrived('alt', received(during))).data.conversationId).toBe(sessionId);

    const sent = await acc.post('/messages/send', { agentName: 'Bruno', sessionId, text: 'Olá, Duda' });
    expect(sent.status).toBe(202);
    const waId = (await waitFor('sent', async () => (await acc.get(`/messages/${sent.body.id}`)).body.waMessageId)) as string;
    expect((await acc.post(sbx(`/messages/${encodeURIComponent(waId)}/ack`), { ack: 'read' })).status).toBe(204);
    const read = await arrived('alt', (p) => p.type === 'message.status' && p.data.messageId === sent.body.id && p.data.status === 'read', 'read ack');
    expect(read.data).toMatchObject({ waMessageId: waId, direction: 'outbound', conversationId: sessionId });
    await arrived('alt', (p) => p.type === 'message.status' && p.data.messageId === sent.body.id && p.data.status === 'sent', 'sent');

    expect((await acc.post(`/conversations/${sessionId}/end`)).status).toBeLessThan(300);
    const contactId = (await arrived('alt', received(during))).data.contact.id;
    expect((await acc.patch(`/contacts/${contactId}`, { platform: 'alt' })).status).toBe(200);
    const afterEnd = await inbound({ from: number, text: 'depois, pelo contato' });
    expect((await arrived('alt', received(afterEnd))).data.conversationId).toBeUndefined();
    expect((await acc.patch(`/contacts/${contactId}`, { platform: 'start' })).status).toBe(200);
    const back = await inbound({ from: number, text: 'de volta' });
    await arrived('start', received(back));
  });

  it('gives an ignored contact nothing, while storing its messages', async () => {
    const number = '5521966660007';
    const first = await inbound({ from: number, text: 'antes' });
    const contactId = (await arrived('start', received(first))).data.contact.id;
    expect((await acc.patch(`/contacts/${contactId}`, { isIgnored: true })).status).toBe(200);
    const ignored = await inbound({ from: number, text: 'ignorada' });
    await acc.post(sbx(`/messages/${encodeURIComponent(ignored)}/react`), { emoji: '👀' });
    const stored = await waitFor('stored', () => t.app.get(MessagesRepository).findByWaId(ACC, channelId, ignored));
    expect(stored).toMatchObject({ body: 'ignorada', delivery: { state: 'skipped', reason: 'CONTACT_IGNORED' } });
    // A later message of another contact arrives; nothing of the ignored one came before or after it.
    const marker = await inbound({ from: '5521966660008', text: 'marcador' });
    await arrived('start', received(marker));
    await new Promise((r) => setTimeout(r, 500));
    const all = [...start.received, ...alt.received].map((r) => r.body);
    expect(all.some((b) => b.includes(ignored))).toBe(false);
  });

  it('delivered every event once per platform, each with its own id', async () => {
    await waitForState(acc, channelId, 'READY');
    for (const r of [start, alt]) {
      const ids = r.received.map((x) => String(x.headers['webhook-id']));
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});
