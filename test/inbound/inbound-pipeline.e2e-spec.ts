import { DomainEventName, DomainEvents } from '../../src/common/events/domain-events';
import { InboundRecovery } from '../../src/inbound/inbound-recovery.service';
import { MessagesRepository } from '../../src/messages/messages.repository';
import { RedisClient } from '../../src/redis/redis.module';
import { InboundEventSink } from '../../src/whatsapp/engine/inbound-sink.port';
import type { EngineMessage, EngineSession, InboundEngineEvent, MediaPayload } from '../../src/whatsapp/engine/messaging-engine.port';
import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { Received, verify, waitFor, WebhookReceiver } from '../webhooks/receiver';

jest.setTimeout(60_000);

const ACC = 'acc-inbound';
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/** An engine session that only knows how to hand over media (what the pipeline asks of it). */
function fakeSession(channelId: string, media: Record<string, MediaPayload> = {}): EngineSession {
  const unsupported = () => Promise.reject(new Error('not in this test'));
  return {
    channelId,
    start: unsupported,
    stop: unsupported,
    logout: unsupported,
    requestPairingCode: unsupported,
    browserPid: () => undefined,
    sendMessage: unsupported,
    react: unsupported,
    forward: unsupported,
    deleteMessage: unsupported,
    downloadMedia: async (id: string) => media[id],
  };
}

/**
 * The inbound pipeline in process: engine events handed to the real InboundEventSink (as the
 * session manager does), stored in FerretDB, delivered through BullMQ to local receivers.
 * (The same through the sandbox browser is in sandbox-webhooks.e2e-spec.ts.)
 */
describe('inbound pipeline → webhooks', () => {
  let t: TestApp;
  let acc: ApiClient;
  let sink: InboundEventSink;
  let session: EngineSession;
  const media: Record<string, MediaPayload> = {};
  const start = new WebhookReceiver();
  const alt = new WebhookReceiver();
  let channelId: string;
  const secrets: Record<string, string> = {};
  let seq = 0;
  const ctx = () => ({ clientIdentifier: ACC, channelId });
  const wid = () => `3EB0${(++seq).toString(16).padStart(16, '0').toUpperCase()}`;

  beforeAll(async () => {
    await start.start();
    await alt.start();
    t = await startTestApp('inbound', { WEBHOOK_RETRY_DELAYS_MS: '0,200,400', WEBHOOK_SWEEP_INTERVAL_MS: '1000' });
    acc = await accountClient(new ApiClient(t.baseUrl, t.adminKey), ACC);
    const res = await acc.post('/channels/setup/whatsappweb', {
      provider: { clientNumber: '5521987650002', companyId: 'c1' },
      startingPlatform: 'start',
      platforms: [
        { slug: 'start', callbackUrl: `${start.url}/hook` },
        { slug: 'alt', callbackUrl: `${alt.url}/hook` },
      ],
    });
    expect(res.status).toBe(201);
    channelId = res.body.id;
    for (const p of res.body.platforms) secrets[p.slug] = p.secret;
    sink = t.app.get(InboundEventSink, { strict: false });
    session = fakeSession(channelId, media);
  });

  afterAll(async () => {
    await t.close();
    await start.stop();
    await alt.stop();
  });

  const message = (over: Partial<EngineMessage> = {}): EngineMessage => {
    const chatId = over.chatId ?? '5521988880001@c.us';
    return {
      id: `false_${chatId}_${wid()}`,
      chatId,
      senderId: chatId,
      senderName: 'Maria',
      isGroup: false,
      fromMe: false,
      timestamp: Math.floor(Date.now() / 1000),
      kind: 'text',
      body: 'oi',
      ...over,
    };
  };
  const send = (event: InboundEngineEvent) => sink.handle(ctx(), event, session);
  const receive = (m: EngineMessage) => send({ type: 'message', message: m });

  /** The one delivery of a WhatsApp event at a receiver, verified with that endpoint's secret. */
  async function delivered(r: WebhookReceiver, slug: string, match: (p: any) => boolean): Promise<{ payload: any; raw: Received }> {
    const raw = await waitFor(`a matching webhook at ${slug}`, () =>
      r.received.find((x) => {
        try {
          return match(JSON.parse(x.body));
        } catch {
          return false;
        }
      }),
    );
    return { payload: verify(secrets[slug], raw), raw };
  }
  const byWaId = (id: string) => (p: any) => p.type === 'message.received' && p.data.message.waMessageId === id;

  it('creates the contact of an unknown number, stores the message and delivers it to the starting platform', async () => {
    const m = message({ chatId: '5521988880001@c.us', body: 'Olá, preciso de ajuda' });
    await receive(m);
    const { payload, raw } = await delivered(start, 'start', byWaId(m.id));
    expect(raw.headers['webhook-id']).toBe(payload.id);
    expect(payload).toMatchObject({
      version: 1,
      type: 'message.received',
      clientIdentifier: ACC,
      channelId,
      platform: 'start',
      chat: { id: '5521988880001@c.us', seq: expect.any(Number) },
      data: {
        message: {
          id: expect.stringMatching(/^[a-f0-9]{24}$/),
          waMessageId: m.id,
          chatId: m.chatId,
          isGroup: false,
          fromMe: false,
          sender: { id: m.chatId, name: 'Maria' },
          kind: 'text',
          body: 'Olá, preciso de ajuda',
          timestamp: new Date(m.timestamp * 1000).toISOString(),
        },
        contact: { id: expect.any(String), contactIdentifier: '5521988880001', type: 'individual', name: 'Maria', tagIds: [] },
      },
    });
    const contact = await acc.get(`/contacts/${payload.data.contact.id}`);
    expect(contact.status).toBe(200);
    const stored = await waitFor('dispatched', async () => {
      const s = await t.app.get(MessagesRepository).findByWaId(ACC, channelId, m.id);
      return s?.delivery?.state === 'dispatched' ? s : undefined;
    });
    expect(stored).toMatchObject({ direction: 'inbound', status: 'received', delivery: { state: 'dispatched', platform: 'start' } });
  });

  it('stores and delivers the same WhatsApp message once (message/message_create pair, replay after reconnect)', async () => {
    const m = message({ chatId: '5521988880002@c.us' });
    await Promise.all([receive(m), receive({ ...m })]);
    await receive({ ...m });
    await delivered(start, 'start', byWaId(m.id));
    await new Promise((r) => setTimeout(r, 500));
    expect(start.received.filter((x) => JSON.parse(x.body).data.message?.waMessageId === m.id)).toHaveLength(1);
  });

  it("routes to the contact's platform, and gives an ignored contact nothing while storing its messages", async () => {
    const first = message({ chatId: '5521988880003@c.us' });
    await receive(first);
    const { payload } = await delivered(start, 'start', byWaId(first.id));
    const contactId = payload.data.contact.id;

    expect((await acc.patch(`/contacts/${contactId}`, { platform: 'alt' })).status).toBe(200);
    const second = message({ chatId: first.chatId });
    await receive(second);
    const routed = await delivered(alt, 'alt', byWaId(second.id));
    expect(routed.payload.platform).toBe('alt');
    expect(routed.payload.data.contact.platform).toBe('alt');
    expect(routed.payload.chat.seq).toBeGreaterThan(payload.chat.seq);

    expect((await acc.patch(`/contacts/${contactId}`, { isIgnored: true })).status).toBe(200);
    const ignored = message({ chatId: first.chatId, body: 'ninguém me ouve' });
    await receive(ignored);
    const stored = await waitFor('stored', () => t.app.get(MessagesRepository).findByWaId(ACC, channelId, ignored.id));
    expect(stored).toMatchObject({ body: 'ninguém me ouve', delivery: { state: 'skipped', reason: 'CONTACT_IGNORED' } });
    await send({ type: 'reaction', messageId: ignored.id, chatId: first.chatId, senderId: first.chatId, emoji: '👍', timestamp: 1 });
    await new Promise((r) => setTimeout(r, 500));
    const all = [...start.received, ...alt.received].map((x) => JSON.parse(x.body));
    expect(all.some((p) => JSON.stringify(p).includes(ignored.id))).toBe(false);
  });

  it("routes to the open conversation's platform while it is open", async () => {
    const chatId = '5521988880010@c.us';
    const channel = (await acc.get(`/channels/${channelId}`)).body;
    const started = await acc.post('/conversations/start/whatsappweb', {
      platformConfigId: channel.platformConfigId,
      channelId,
      clientProviderId: '5521988880010',
      userName: 'Conversa',
      companyName: 'Empresa',
      platform: 'alt',
    });
    expect(started.status).toBeLessThan(300);
    const conversationId = started.body.id ?? started.body.sessionId;
    const during = message({ chatId });
    await receive(during);
    const routed = await delivered(alt, 'alt', byWaId(during.id));
    expect(routed.payload.data.conversationId).toBe(conversationId);

    expect((await acc.post(`/conversations/${conversationId}/end`)).status).toBeLessThan(300);
    const after = message({ chatId });
    await receive(after);
    const back = await delivered(start, 'start', byWaId(after.id));
    expect(back.payload.data.conversationId).toBeUndefined();
  });

  it('delivers group messages with the group as the chat and contact, the participant as sender, and their mentions', async () => {
    const group = '120363012345678901@g.us';
    const mentions = ['5521977770002@c.us', '5521977770003@c.us'];
    const m = message({ chatId: group, isGroup: true, senderId: '5521977770001@c.us', senderName: 'João', body: 'bom dia @5521977770002 @5521977770003', mentions });
    m.id = `false_${group}_${wid()}_5521977770001@c.us`;
    await receive(m);
    const { payload } = await delivered(start, 'start', byWaId(m.id));
    expect(payload.chat.id).toBe(group);
    expect(payload.data.message).toMatchObject({ isGroup: true, sender: { id: '5521977770001@c.us', name: 'João' }, mentions });
    expect(payload.data.contact).toMatchObject({ type: 'group', contactIdentifier: group });
    expect(payload.data.contact.name).toBeUndefined();
    // Stored with the message and shown in its view.
    const view = await acc.get(`/messages/${payload.data.message.id}`);
    expect(view.status).toBe(200);
    expect(view.body.mentions).toEqual(mentions);

    // A message without mentions carries no `mentions` key at all.
    const plain = message({ chatId: group, isGroup: true, senderId: '5521977770001@c.us', body: 'sem menção', mentions: [] });
    plain.id = `false_${group}_${wid()}_5521977770001@c.us`;
    await receive(plain);
    const without = await delivered(start, 'start', byWaId(plain.id));
    expect(without.payload.data.message).not.toHaveProperty('mentions');
    expect((await acc.get(`/messages/${without.payload.data.message.id}`)).body).not.toHaveProperty('mentions');
  });

  it('stores media and offers it through an expiring signed URL', async () => {
    const m = message({ chatId: '5521988880004@c.us', kind: 'image', body: undefined, caption: 'foto', media: { mimetype: 'image/png', size: PNG.length } });
    media[m.id] = { mimetype: 'image/png', dataBase64: PNG.toString('base64'), filename: 'pic.png' };
    await receive(m);
    const { payload } = await delivered(start, 'start', byWaId(m.id));
    const md = payload.data.message.media;
    expect(md).toMatchObject({ mimetype: 'image/png', filename: 'pic.png', size: PNG.length, sha256: expect.stringMatching(/^[a-f0-9]{64}$/) });
    expect(payload.data.message.caption).toBe('foto');
    expect(new Date(md.urlExpiresAt).getTime()).toBeGreaterThan(Date.now() + 2 * 24 * 3600_000);
    // The test app listens on a random port; PUBLIC_BASE_URL does not know it.
    const url = md.url.replace(/^https?:\/\/[^/]+/, t.baseUrl);
    expect(md.url).toMatch(/\/media\/[a-f0-9]{24}\?exp=\d+&sig=/);
    const file = await fetch(url);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
    const tampered = await fetch(url.replace(/sig=([^&]{4})/, 'sig=AAAA'));
    expect(tampered.status).not.toBe(200);
  });

  it('delivers a media message whose download fails, without a URL', async () => {
    const m = message({ chatId: '5521988880004@c.us', kind: 'document', body: undefined, media: { mimetype: 'application/pdf', filename: 'x.pdf' } });
    await receive(m);
    const { payload } = await delivered(start, 'start', byWaId(m.id));
    expect(payload.data.message.media).toEqual({ mimetype: 'application/pdf', filename: 'x.pdf', error: 'MEDIA_DOWNLOAD_FAILED' });
  });

  it('delivers stickers, locations, contact cards and replies', async () => {
    const chatId = '5521988880005@c.us';
    const sticker = message({ chatId, kind: 'sticker', body: undefined, media: { mimetype: 'image/webp' } });
    media[sticker.id] = { mimetype: 'image/webp', dataBase64: Buffer.from('RIFF....WEBP').toString('base64') };
    const location = message({ chatId, kind: 'location', body: undefined, location: { latitude: -22.9, longitude: -43.2, name: 'Cristo', address: 'Rio' } });
    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nTEL;type=CELL;waid=5521966660001:+55 21 96666-0001\nEND:VCARD';
    const card = message({ chatId, kind: 'contacts', body: undefined, vcards: [vcard] });
    const reply = message({ chatId, body: 'respondendo', quotedMessageId: location.id });
    for (const m of [sticker, location, card, reply]) await receive(m);
    expect((await delivered(start, 'start', byWaId(sticker.id))).payload.data.message).toMatchObject({ kind: 'sticker', media: { mimetype: 'image/webp', url: expect.any(String) } });
    expect((await delivered(start, 'start', byWaId(location.id))).payload.data.message).toMatchObject({
      kind: 'location',
      location: { latitude: -22.9, longitude: -43.2, name: 'Cristo', address: 'Rio' },
    });
    expect((await delivered(start, 'start', byWaId(card.id))).payload.data.message).toMatchObject({ kind: 'contacts', vcards: [vcard] });
    expect((await delivered(start, 'start', byWaId(reply.id))).payload.data.message).toMatchObject({ kind: 'text', quotedWaMessageId: location.id });
  });

  it('applies revokes, edits and reactions and delivers each once to where the message went', async () => {
    const chatId = '5521988880006@c.us';
    const m = message({ chatId, body: 'texto original' });
    await receive(m);
    await delivered(start, 'start', byWaId(m.id));

    await send({ type: 'edit', messageId: m.id, chatId, senderId: chatId, body: 'texto editado', previousBody: 'texto original' });
    await send({ type: 'edit', messageId: m.id, chatId, senderId: chatId, body: 'texto editado', previousBody: 'texto original' });
    const edit = await delivered(start, 'start', (p) => p.type === 'message.edited' && p.data.waMessageId === m.id);
    expect(edit.payload.data).toMatchObject({ body: 'texto editado', previousBody: 'texto original', senderId: chatId, messageId: expect.any(String) });

    await send({ type: 'reaction', messageId: m.id, chatId, senderId: chatId, emoji: '❤️', timestamp: 1_760_000_000 });
    const reaction = await delivered(start, 'start', (p) => p.type === 'message.reaction' && p.data.waMessageId === m.id);
    expect(reaction.payload.data).toMatchObject({ emoji: '❤️', removed: false, senderId: chatId, timestamp: new Date(1_760_000_000_000).toISOString() });
    await send({ type: 'reaction', messageId: m.id, chatId, senderId: chatId, emoji: '', timestamp: 1_760_000_010 });
    await delivered(start, 'start', (p) => p.type === 'message.reaction' && p.data.waMessageId === m.id && p.data.removed === true);

    await send({ type: 'revoke', messageId: m.id, chatId, senderId: chatId, fromMe: false });
    await send({ type: 'revoke', messageId: m.id, chatId, senderId: chatId, fromMe: false });
    const revoke = await delivered(start, 'start', (p) => p.type === 'message.revoked' && p.data.waMessageId === m.id);
    expect(revoke.payload.data).toMatchObject({ outcome: 'revoked', by: chatId, fromMe: false });

    await new Promise((r) => setTimeout(r, 400));
    const types = start.received.map((x) => JSON.parse(x.body)).filter((p) => p.data.waMessageId === m.id).map((p) => p.type);
    expect(types.sort()).toEqual(['message.edited', 'message.reaction', 'message.reaction', 'message.revoked']);
    // Later events of the chat carry later sequence numbers.
    const seqs = start.received.map((x) => JSON.parse(x.body)).filter((p) => p.chat?.id === chatId).map((p) => p.chat.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  /** One of our messages to `chatId`, sent for platform `alt` and given its WhatsApp id. */
  async function sentThroughAlt(chatId: string, body: string) {
    const repo = t.app.get(MessagesRepository);
    const { message: out } = await repo.insertOutbound(ACC, {
      channelId,
      chatId,
      isGroup: false,
      kind: 'text',
      body,
      platform: 'alt',
      timestamp: new Date(),
      outbound: { op: 'send' },
    });
    const waId = `true_${chatId}_${wid()}`;
    await repo.recordSent(ACC, out.id, channelId, waId);
    return { repo, out, waId };
  }

  it("delivers acks of our messages as message.status to the message's platform", async () => {
    const chatId = '5521988880007@c.us';
    const { out, waId } = await sentThroughAlt(chatId, 'enviada pela plataforma');
    await send({ type: 'ack', messageId: waId, chatId, ack: 'delivered' });
    await send({ type: 'ack', messageId: waId, chatId, ack: 'delivered' });
    await send({ type: 'ack', messageId: waId, chatId, ack: 'read' });
    const read = await delivered(alt, 'alt', (p) => p.type === 'message.status' && p.data.waMessageId === waId && p.data.status === 'read');
    expect(read.payload.data).toMatchObject({ messageId: out.id, direction: 'outbound', previousStatus: 'delivered', chatId });
    await new Promise((r) => setTimeout(r, 400));
    const statuses = alt.received.map((x) => JSON.parse(x.body)).filter((p) => p.type === 'message.status' && p.data.waMessageId === waId);
    expect(statuses.map((p) => p.data.status)).toEqual(['delivered', 'read']);
  });

  it('records the message.status of an ack applied again after its status was stored without its webhook (crash in between)', async () => {
    const chatId = '5521988880011@c.us';
    const { repo, out, waId } = await sentThroughAlt(chatId, 'ack perdido');
    await repo.advance(ACC, channelId, { id: out.id }, 'sent');
    // What a process killed between storing the ack's status and recording its webhook leaves behind.
    await repo.advance(ACC, channelId, { id: out.id }, 'delivered');
    // The journal still holds the ack: applied again, it finds the status stored and records the webhook.
    await send({ type: 'ack', messageId: waId, chatId, ack: 'delivered' });
    const d = await delivered(alt, 'alt', (p) => p.type === 'message.status' && p.data.waMessageId === waId && p.data.status === 'delivered');
    expect(d.payload.data).toMatchObject({ messageId: out.id, previousStatus: 'sent', direction: 'outbound', chatId });
    // Applied once more, it is the same event: nothing new is delivered.
    await send({ type: 'ack', messageId: waId, chatId, ack: 'delivered' });
    await new Promise((r) => setTimeout(r, 400));
    const statuses = alt.received.map((x) => JSON.parse(x.body)).filter((p) => p.type === 'message.status' && p.data.waMessageId === waId);
    expect(statuses.map((p) => p.data.status)).toEqual(['delivered']);
  });

  it('delivers group joins and leaves', async () => {
    const groupId = '120363099999999999@g.us';
    await send({ type: 'group_join', groupId, participants: ['5521955550001@c.us'], by: '5521955550000@c.us', subtype: 'add' });
    await send({ type: 'group_leave', groupId, participants: ['5521955550002@c.us'], subtype: 'leave' });
    const join = await delivered(start, 'start', (p) => p.type === 'group.join' && p.data.groupId === groupId);
    expect(join.payload).toMatchObject({ chat: { id: groupId }, data: { participants: ['5521955550001@c.us'], by: '5521955550000@c.us', subtype: 'add', contact: { type: 'group' } } });
    const leave = await delivered(start, 'start', (p) => p.type === 'group.leave' && p.data.groupId === groupId);
    expect(leave.payload.data).toMatchObject({ participants: ['5521955550002@c.us'], subtype: 'leave' });
    expect(leave.payload.chat.seq).toBeGreaterThan(join.payload.chat.seq);
  });

  it('delivers session status changes to every enabled platform of the channel', async () => {
    t.app.get(DomainEvents).publish({
      name: DomainEventName.SessionStatus,
      clientIdentifier: ACC,
      channelId,
      occurredAt: new Date(),
      payload: { state: 'READY', previousState: 'AUTHENTICATED', me: '5521987650002@c.us' },
    });
    for (const [r, slug] of [
      [start, 'start'],
      [alt, 'alt'],
    ] as const) {
      const { payload } = await delivered(r, slug, (p) => p.type === 'session.status' && p.data.state === 'READY');
      expect(payload).toMatchObject({ chat: null, platform: slug, data: { state: 'READY', previousState: 'AUTHENTICATED', me: '5521987650002@c.us' } });
    }
  });

  it('recovers a message stored without its event (crash between the two writes)', async () => {
    const repo = t.app.get(MessagesRepository);
    const chatId = '5521988880008@c.us';
    const waId = `false_${chatId}_${wid()}`;
    await repo.insertInbound(ACC, {
      channelId,
      waMessageId: waId,
      chatId,
      isGroup: false,
      senderId: chatId,
      fromMe: false,
      kind: 'text',
      body: 'sobrevivi',
      status: 'received',
      timestamp: new Date(),
      delivery: { state: 'pending', platform: 'start' },
    });
    const { payload } = await delivered(start, 'start', byWaId(waId));
    expect(payload.data.message.body).toBe('sobrevivi');
    await waitFor('dispatched', async () => (await repo.findByWaId(ACC, channelId, waId))?.delivery?.state === 'dispatched');
  });

  it('applies the events a dead process left in its journal (journaled, never applied)', async () => {
    const chatId = '5521988880009@c.us';
    const m = message({ chatId, body: 'do diário' });
    // What a process killed right after the journal write leaves behind: its stream, no "alive" key.
    const redis = t.app.get(RedisClient).redis;
    const prefix = `${t.config.storage.queuePrefix}:inbound`;
    const stream = `${prefix}:journal:dead-host:1:abcdef`;
    await redis.sadd(`${prefix}:journals`, stream);
    await redis.xadd(stream, '*', 'e', JSON.stringify({ id: 'j-1', ctx: ctx(), event: { type: 'message', message: m }, receivedAt: Date.now() - 5_000 }));
    await t.app.get(InboundRecovery).recover();
    const { payload } = await delivered(start, 'start', byWaId(m.id));
    expect(payload.data.message.body).toBe('do diário');
    // Applied entries are removed; the emptied journal of the dead process goes at the next pass.
    await waitFor('entry removed', async () => (await redis.xlen(stream)) === 0);
    await redis.del(`${prefix}:adopt:dead-host:1:abcdef`);
    await t.app.get(InboundRecovery).recover();
    expect(await redis.sismember(`${prefix}:journals`, stream)).toBe(0);
  });

  it('shows every delivery in the log', async () => {
    // The log is written in batches a moment after each 2xx.
    const log = await waitFor('every event delivered in the log', async () => {
      const page = await acc.get(`/webhooks/events?channelId=${channelId}&type=message.received&limit=100`);
      expect(page.status).toBe(200);
      return page.body.data.every((e: any) => e.state === 'delivered') ? page : undefined;
    });
    expect(log.body.total).toBeGreaterThan(8);
    expect(log.body.data.every((e: any) => e.state === 'delivered')).toBe(true);
  });
});
