import { MessageStatusService } from '../../src/messages/message-status.service';
import { MessagesRepository } from '../../src/messages/messages.repository';
import { Messaging, startMessaging } from './messaging-harness';

jest.setTimeout(90_000);

const CUSTOMER = '5521988885555';
const CHAT = `${CUSTOMER}@c.us`;

/** The outbound pipeline with pacing off: idempotent calls, order under rapid sends, actions queued behind sends. */
describe('outbound pipeline: idempotency and order', () => {
  let m: Messaging;
  let sessionId: string;

  beforeAll(async () => {
    m = await startMessaging('msgpipe', 'acc-msg-pipe');
    sessionId = (await m.startConversation(CUSTOMER)).id;
  });
  afterAll(() => m?.close());

  const send = (text: string, headers?: Record<string, string>, over: Record<string, unknown> = {}) =>
    m.acc.post('/messages/send', { agentName: 'Ana', sessionId, text, showAgentName: false, ...over }, headers);
  const sentTexts = async () => (await m.outbox()).filter((e) => e.kind === 'message' && e.type === 'chat' && e.chatId === CHAT).map((e) => e.body);

  it('sends once for a repeated Idempotency-Key and returns the first message (200)', async () => {
    await m.acc.delete(m.sbx('/outbox'));
    const key = 'c0ffee-0001';
    const first = await send('pedido confirmado', { 'Idempotency-Key': key });
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await send('pedido confirmado', { 'Idempotency-Key': key });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    await m.waitSent(first.body.id);
    const later = await send('pedido confirmado', { 'Idempotency-Key': key });
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ id: first.body.id, status: 'sent' });

    // Simultaneous retries: still one message.
    const racing = await Promise.all(Array.from({ length: 6 }, () => send('pagamento recebido', { 'Idempotency-Key': 'c0ffee-0002' })));
    expect(racing.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 202]);
    expect(new Set(racing.map((r) => r.body.id)).size).toBe(1);
    await m.waitSent(racing[0].body.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(await sentTexts()).toEqual(['pedido confirmado', 'pagamento recebido']);

    const reused = await send('outro texto', { 'Idempotency-Key': key });
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { messageId: first.body.id } });
    const bad = await send('x', { 'Idempotency-Key': 'has spaces in it' });
    expect(bad.body.code).toBe('INVALID_IDEMPOTENCY_KEY');
    // Keys are per account and per kind of request: the same key on another route is another request.
    const other = await m.acc.post('/messages/location', { sessionId, latitude: 1, longitude: 2 }, { 'Idempotency-Key': 'c0ffee-0003' });
    expect(other.status).toBe(202);
    expect((await m.acc.post('/messages/location', { sessionId, latitude: 1, longitude: 2 }, { 'Idempotency-Key': 'c0ffee-0003' })).status).toBe(200);
    await m.waitSent(other.body.id);
  });

  it('keeps the order of 50 rapid sends to one chat', async () => {
    await m.acc.delete(m.sbx('/outbox'));
    const ids: string[] = [];
    for (let i = 1; i <= 50; i++) {
      const res = await send(`mensagem ${i}`);
      expect(res.status).toBe(202);
      ids.push(res.body.id);
    }
    const last = await m.waitSent(ids[49]);
    expect(last.status).not.toBe('failed');
    const stored = await Promise.all(ids.map((id) => m.acc.get(`/messages/${id}`)));
    expect(stored.every((r) => ['sent', 'delivered', 'read'].includes(r.body.status))).toBe(true);
    const expected = Array.from({ length: 50 }, (_, i) => `mensagem ${i + 1}`);
    expect(await sentTexts()).toEqual(expected);
    // The WhatsApp ids recorded are the ones the phone got, in the same order.
    const outboxIds = (await m.outbox()).filter((e) => e.kind === 'message' && e.type === 'chat').map((e) => e.id);
    expect(stored.map((r) => r.body.waMessageId)).toEqual(outboxIds);
  });

  it('runs a reaction and a delete behind the send they name, even while it is still queued', async () => {
    await m.acc.delete(m.sbx('/outbox'));
    for (let i = 0; i < 15; i++) await send(`antes ${i}`);
    const msg = await send('reagir e apagar');
    const askedAt = Date.now();
    const reaction = await m.acc.post('/messages/reaction', { sessionId, messageId: msg.body.id, emoji: '🔥' });
    expect(reaction.status).toBe(200);
    // It was asked for before the message went out, and ran after it.
    expect(Date.parse(reaction.body.message.statusTimes.sent)).toBeGreaterThan(askedAt);
    const del = await m.acc.post('/messages/delete', { messageId: msg.body.id, senderId: m.me, channelSlug: 'karoochat' });
    expect(del.status).toBe(200);
    const kinds = (await m.outbox()).map((e) => (e.kind === 'message' ? e.body : e.kind));
    expect(kinds).toEqual([...Array.from({ length: 15 }, (_, i) => `antes ${i}`), 'reagir e apagar', 'reaction', 'revoke']);
  });

  it('refuses to react to or forward a message that failed', async () => {
    const repo = m.t.app.get(MessagesRepository, { strict: false });
    const { message } = await repo.insertOutbound('acc-msg-pipe', {
      channelId: m.channel.id, chatId: CHAT, isGroup: false, kind: 'text', body: 'never sent', timestamp: new Date(), outbound: { op: 'send' },
    });
    const status = m.t.app.get(MessageStatusService, { strict: false });
    await status.move(message, 'failed', { reason: 'ENGINE_ERROR: test' });
    const react = await m.acc.post('/messages/reaction', { sessionId, messageId: message.id, emoji: '👍' });
    expect([react.status, react.body.code]).toEqual([422, 'MESSAGE_NOT_SENT']);
    const fwd = await m.acc.post('/messages/forward', { sessionId, messageId: message.id });
    expect([fwd.status, fwd.body.code]).toEqual([422, 'MESSAGE_NOT_SENT']);
    expect((await m.acc.get(`/messages/${message.id}`)).body).toMatchObject({ status: 'failed', statusReason: 'ENGINE_ERROR: test' });
  });
});
