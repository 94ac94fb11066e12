import { MediaStore } from '../../src/media/media.store';
import { MessageStatusService } from '../../src/messages/message-status.service';
import { MessagesRepository } from '../../src/messages/messages.repository';
import { StoreAdapter } from '../../src/store/store-adapter';
import { StoreMigrations } from '../../src/store/store-migrations';
import { MESSAGE_KEYS_MIGRATION, MessageKeysMigration } from '../../src/messages/message-keys.migration';
import { DomainEvent, DomainEvents } from '../../src/common/events/domain-events';
import { ApiClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';

/** The storage contracts other modules code against, on the real database (FerretDB or MongoDB). */
describe('MessagesRepository and MediaStore', () => {
  let t: TestApp;
  let repo: MessagesRepository;
  let status: MessageStatusService;
  let media: MediaStore;
  const events: DomainEvent[] = [];
  const ACC = 'acc-store';
  const CH = '64ef5c84f9deb1326965919e';

  beforeAll(async () => {
    t = await startTestApp('msgstore');
    repo = t.app.get(MessagesRepository, { strict: false });
    status = t.app.get(MessageStatusService, { strict: false });
    media = t.app.get(MediaStore, { strict: false });
    t.app.get(DomainEvents).on('message.status', (e) => void events.push(e));
  });
  afterAll(() => t.close());

  const inbound = (waMessageId: string, extra: Record<string, unknown> = {}) => ({
    channelId: CH,
    waMessageId,
    chatId: '5521999999999@c.us',
    isGroup: false,
    senderId: '5521999999999@c.us',
    fromMe: false,
    kind: 'text' as const,
    body: 'hello',
    status: 'received' as const,
    timestamp: new Date(),
    ...extra,
  });

  it('finishes the message_keys migration at once on a new database', async () => {
    await t.app.get(MessageKeysMigration, { strict: false }).finished();
    expect(await t.app.get(StoreMigrations, { strict: false }).isDone(MESSAGE_KEYS_MIGRATION)).toBe(true);
  });

  it('stores an inbound message once per WhatsApp id, even when inserted concurrently', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => repo.insertInbound(ACC, inbound('false_5521999999999@c.us_AAA'))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    expect(results[0].message).toMatchObject({ direction: 'inbound', clientIdentifier: ACC, body: 'hello' });
    expect(await repo.findByWaId('other-account', CH, 'false_5521999999999@c.us_AAA')).toBeUndefined();
  });

  it('returns the first message for a repeated idempotency key', async () => {
    const doc = { channelId: CH, chatId: '5521988888888@c.us', isGroup: false, kind: 'text' as const, body: 'x', timestamp: new Date(), outbound: { op: 'send' as const }, idempotencyKey: 'k-1' };
    const [a, b] = await Promise.all([repo.insertOutbound(ACC, doc), repo.insertOutbound(ACC, doc)]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.message.id).toBe(b.message.id);
    const other = await repo.insertOutbound('acc-other', doc);
    expect(other.created).toBe(true);
    expect(other.message.id).not.toBe(a.message.id);
    const twoWithout = await Promise.all([repo.insertOutbound(ACC, { ...doc, idempotencyKey: undefined }), repo.insertOutbound(ACC, { ...doc, idempotencyKey: undefined })]);
    expect(twoWithout.every((r) => r.created)).toBe(true);
  });

  it('moves status forward only and publishes each change once', async () => {
    const { message } = await repo.insertOutbound(ACC, { channelId: CH, chatId: '5521977777777@c.us', isGroup: false, kind: 'text', body: 'y', timestamp: new Date(), outbound: { op: 'send' } });
    expect(await repo.claimForSending(ACC, CH, message.id, 1)).toBe(true);
    expect(await repo.claimForSending(ACC, CH, message.id, 1)).toBe(false);
    await status.markSent(message, 'true_5521977777777@c.us_BBB');
    events.length = 0;
    const ctx = { clientIdentifier: ACC, channelId: CH };
    const acks = await Promise.all([status.onAck(ctx, 'true_5521977777777@c.us_BBB', 'read'), status.onAck(ctx, 'true_5521977777777@c.us_BBB', 'read')]);
    expect(acks.filter(Boolean)).toHaveLength(1);
    expect(await status.onAck(ctx, 'true_5521977777777@c.us_BBB', 'delivered')).toBeUndefined();
    const stored = await repo.findById(ACC, message.id);
    expect(stored).toMatchObject({ status: 'read', waMessageId: 'true_5521977777777@c.us_BBB' });
    expect(stored!.statusTimes).toEqual(expect.objectContaining({ queued: expect.any(Date), sent: expect.any(Date), read: expect.any(Date) }));
    expect(events.map((e) => e.payload)).toEqual([expect.objectContaining({ messageId: message.id, status: 'read', previousStatus: 'sent' })]);
    expect(await status.onAck({ clientIdentifier: 'intruder', channelId: CH }, 'true_5521977777777@c.us_BBB', 'played')).toBeUndefined();
  });

  it('applies an ack that arrived before the send stored the WhatsApp id', async () => {
    const ctx = { clientIdentifier: ACC, channelId: CH };
    await status.onAck(ctx, 'true_x@c.us_EARLY', 'delivered');
    const { message } = await repo.insertOutbound(ACC, { channelId: CH, chatId: 'x@c.us', isGroup: false, kind: 'text', body: 'z', timestamp: new Date(), outbound: { op: 'send' } });
    await repo.claimForSending(ACC, CH, message.id, 1);
    await status.markSent(message, 'true_x@c.us_EARLY');
    expect((await repo.findById(ACC, message.id))!.status).toBe('delivered');
  });

  it('attaches the echo of a send in flight to the outbound record', async () => {
    const { message } = await repo.insertOutbound(ACC, { channelId: CH, chatId: 'echo@c.us', isGroup: false, kind: 'text', body: 'echo me', timestamp: new Date(), outbound: { op: 'send' } });
    await repo.claimForSending(ACC, CH, message.id, 1);
    const echo = await repo.insertInbound(ACC, inbound('true_echo@c.us_CCC', { chatId: 'echo@c.us', fromMe: true, body: 'echo me', status: 'sent' }));
    expect(echo).toMatchObject({ created: false, message: { id: message.id, waMessageId: 'true_echo@c.us_CCC' } });
    const again = await repo.insertInbound(ACC, inbound('true_echo@c.us_CCC', { chatId: 'echo@c.us', fromMe: true, body: 'echo me' }));
    expect(again.message.id).toBe(message.id);
  });

  it('replaces an echo stored as a copy when the send links its WhatsApp id, never an API send', async () => {
    const wa = 'true_copy@c.us_EEE';
    const copy = await repo.insertInbound(ACC, inbound(wa, { chatId: 'copy@c.us', fromMe: true, body: 'typed', status: 'sent' }));
    expect(copy.created).toBe(true);
    const send = (body: string) => repo.insertOutbound(ACC, { channelId: CH, chatId: 'copy@c.us', isGroup: false, kind: 'text', body, timestamp: new Date(), outbound: { op: 'send' } });
    const { message: ours } = await send('typed');
    await repo.claimForSending(ACC, CH, ours.id, 1);
    await status.markSent(ours, wa);
    expect(await repo.findById(ACC, copy.message.id)).toBeUndefined();
    expect(await repo.findByWaId(ACC, CH, wa)).toMatchObject({ id: ours.id, status: 'sent' });
    const { message: other } = await send('other');
    await repo.claimForSending(ACC, CH, other.id, 1);
    const err = await repo.markSent(ACC, CH, other.id, wa).catch((e: unknown) => e);
    expect(t.app.get(StoreAdapter, { strict: false }).isUniqueViolation(err)).toBe(true);
    expect((await repo.findByWaId(ACC, CH, wa))!.id).toBe(ours.id);
  });

  it('records revokes, edits and reactions, reporting no-change as undefined', async () => {
    const { message } = await repo.insertInbound(ACC, inbound('false_r@c.us_DDD', { chatId: 'r@c.us' }));
    expect(await repo.markRevoked(ACC, CH, 'false_r@c.us_DDD', 'deleted_for_me')).toMatchObject({ revoked: { outcome: 'deleted_for_me' } });
    expect(await repo.markRevoked(ACC, CH, 'false_r@c.us_DDD', 'deleted_for_me')).toBeUndefined();
    expect(await repo.markRevoked(ACC, CH, 'false_r@c.us_DDD', 'revoked')).toMatchObject({ revoked: { outcome: 'revoked' } });
    expect(await repo.applyEdit(ACC, CH, 'false_r@c.us_DDD', 'hello 2')).toMatchObject({ body: 'hello 2', edits: [{ body: 'hello' }] });
    await repo.applyReaction(ACC, CH, 'false_r@c.us_DDD', 'a@c.us', '👍');
    await repo.applyReaction(ACC, CH, 'false_r@c.us_DDD', 'b@c.us', '❤️');
    const replaced = await repo.applyReaction(ACC, CH, 'false_r@c.us_DDD', 'a@c.us', '😂');
    expect(replaced!.reactions!.map((r) => [r.senderId, r.emoji])).toEqual([['b@c.us', '❤️'], ['a@c.us', '😂']]);
    const removed = await repo.applyReaction(ACC, CH, 'false_r@c.us_DDD', 'b@c.us', '');
    expect(removed!.reactions!.map((r) => r.senderId)).toEqual(['a@c.us']);
    await repo.setDelivery(ACC, message.id, { state: 'pending' });
    const pending = await repo.findPendingDelivery(new Date(Date.now() + 1000), 10);
    expect(pending.map((m) => m.id)).toContain(message.id);
  });

  it('stores media in chunks and serves it through an expiring signed link', async () => {
    const data = Buffer.alloc(600 * 1024);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 251;
    const put = await media.put(ACC, data, { mimetype: 'application/pdf', filename: 'relatório.pdf' });
    expect(put.size).toBe(data.length);
    expect((await media.get(ACC, put.mediaId))!.data.equals(data)).toBe(true);
    expect(await media.get('acc-other', put.mediaId)).toBeUndefined();

    const url = new URL(media.signedUrl(ACC, put.mediaId, 60));
    const anon = new ApiClient(t.baseUrl);
    const res = await fetch(`${t.baseUrl}${url.pathname}${url.search}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''relat%C3%B3rio.pdf");
    expect(Buffer.from(await res.arrayBuffer()).equals(data)).toBe(true);

    const sig = url.searchParams.get('sig')!;
    const exp = Number(url.searchParams.get('exp'));
    const tampered = await anon.get(`/media/${put.mediaId}?exp=${exp + 1}&sig=${sig}`);
    expect(tampered.status).toBe(403);
    expect(tampered.body.code).toBe('MEDIA_LINK_INVALID');
    const expired = new URL(media.signedUrl(ACC, put.mediaId, 1));
    await new Promise((r) => setTimeout(r, 2100));
    const late = await anon.get(`${expired.pathname}${expired.search}`);
    expect(late.status).toBe(410);
    expect(late.body.code).toBe('MEDIA_LINK_EXPIRED');
  });
});
