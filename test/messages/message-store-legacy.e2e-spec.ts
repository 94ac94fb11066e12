import mongoose, { Connection, Types } from 'mongoose';
import { MessageKeysMigration, MESSAGE_KEYS_MIGRATION } from '../../src/messages/message-keys.migration';
import { MessageStatusService } from '../../src/messages/message-status.service';
import { MessagesRepository } from '../../src/messages/messages.repository';
import { StoreAdapter } from '../../src/store/store-adapter';
import { StoreMigrations } from '../../src/store/store-migrations';
import { withDatabase } from '../harness/services';
import { startTestApp, TestApp, uniqueDatabase } from '../harness/test-app';

const ACC = 'acc-legacy';
const CH = '64ef5c84f9deb1326965b001';

/**
 * A database written by the previous version: messages carry `waKey`/`idemKey`, and `message_keys`
 * holds channelId:waMessageId (and idem:account:key) → messageId, written before the message's own
 * field. Written here with raw inserts shaped as that version wrote them, before the app boots.
 */
describe('Messages stored by the version with message_keys', () => {
  const database = uniqueDatabase('msglegacy');
  let raw: Connection;
  let t: TestApp;
  let repo: MessagesRepository;
  const id = () => new Types.ObjectId();
  const at = new Date('2026-11-30T10:00:00Z');
  const base = { clientIdentifier: ACC, channelId: CH, chatId: '5521911112222@c.us', isGroup: false, kind: 'text', timestamp: at, createdAt: at, updatedAt: at, __v: 0 };
  const ids = { inbound: id(), idem: id(), sent: id(), cutOff: id(), requeued: id() };

  beforeAll(async () => {
    raw = await mongoose.createConnection(withDatabase(process.env.MONGODB_URI!, database)).asPromise();
    const messages = raw.collection('messages');
    const keys = raw.collection<{ _id: string; messageId: string; clientIdentifier: string }>('message_keys');
    const key = (k: string, messageId: Types.ObjectId) => ({ _id: k, messageId: String(messageId), clientIdentifier: ACC });
    await messages.insertMany([
      // An inbound message: its key, then the message with its waKey.
      { ...base, _id: ids.inbound, direction: 'inbound', waMessageId: 'false_x@c.us_IN', waKey: `${CH}:false_x@c.us_IN`, fromMe: false, senderId: '5521911112222@c.us', body: 'old hello', status: 'received', delivery: { state: 'dispatched', platform: 'main' } },
      // An API send with an Idempotency-Key, still queued.
      { ...base, _id: ids.idem, direction: 'outbound', fromMe: true, body: 'queued', status: 'queued', statusTimes: { queued: at }, outbound: { op: 'send', requestHash: 'h' }, idemKey: `idem:${ACC}:old-key` },
      // An API send that WhatsApp took: sent, linked.
      { ...base, _id: ids.sent, direction: 'outbound', fromMe: true, body: 'sent', status: 'sent', statusTimes: { queued: at, sent: at }, outbound: { op: 'send', attempts: 1 }, waMessageId: 'true_x@c.us_SENT', waKey: `${CH}:true_x@c.us_SENT` },
      // Cut off between the key and the message's own link: known by message_keys only.
      { ...base, _id: ids.cutOff, direction: 'outbound', fromMe: true, body: 'cut off', status: 'sending', statusTimes: { queued: at }, outbound: { op: 'send', attempts: 1 } },
      // Requeued by a retry that stopped before dropping the refused copy's key.
      { ...base, _id: ids.requeued, direction: 'outbound', fromMe: true, body: 'retried', status: 'queued', statusTimes: { queued: at }, outbound: { op: 'send', retries: 1, failures: [{ at, reason: 'WHATSAPP_ACK_ERROR', waMessageId: 'true_x@c.us_REFUSED' }] } },
    ]);
    await keys.insertMany([
      key(`${CH}:false_x@c.us_IN`, ids.inbound),
      key(`idem:${ACC}:old-key`, ids.idem),
      key(`${CH}:true_x@c.us_SENT`, ids.sent),
      key(`${CH}:true_x@c.us_CUT`, ids.cutOff),
      key(`${CH}:true_x@c.us_REFUSED`, ids.requeued),
      // A store cut off between its key and its message: no message at all.
      key(`${CH}:false_x@c.us_LOST`, id()),
    ]);
    t = await startTestApp('msglegacy', { __DATABASE: database });
    repo = t.app.get(MessagesRepository, { strict: false });
    await t.app.get(MessageKeysMigration, { strict: false }).finished();
  });
  afterAll(async () => {
    await t?.close();
    await raw?.close();
  });

  it('finds old messages by WhatsApp id and stores a repeated one once', async () => {
    expect((await repo.findByWaId(ACC, CH, 'false_x@c.us_IN'))?.id).toBe(String(ids.inbound));
    const again = await repo.insertInbound(ACC, { channelId: CH, waMessageId: 'false_x@c.us_IN', chatId: '5521911112222@c.us', isGroup: false, fromMe: false, kind: 'text', body: 'old hello', status: 'received', timestamp: at });
    expect(again).toMatchObject({ created: false, message: { id: String(ids.inbound), body: 'old hello' } });
    expect(await repo.applyReaction(ACC, CH, 'false_x@c.us_IN', 'a@c.us', '👍')).toMatchObject({ reactions: [{ senderId: 'a@c.us', emoji: '👍' }] });
  });

  it('returns the old message for a repeated Idempotency-Key', async () => {
    expect((await repo.findByIdempotencyKey(ACC, 'old-key'))?.id).toBe(String(ids.idem));
    const again = await repo.insertOutbound(ACC, { channelId: CH, chatId: '5521911112222@c.us', isGroup: false, kind: 'text', body: 'queued', timestamp: new Date(), outbound: { op: 'send' }, idempotencyKey: 'old-key' });
    expect(again).toMatchObject({ created: false, message: { id: String(ids.idem) } });
  });

  it('applies acks to an old sent message', async () => {
    const moved = await t.app.get(MessageStatusService, { strict: false }).onAck({ clientIdentifier: ACC, channelId: CH }, 'true_x@c.us_SENT', 'read');
    expect(moved).toMatchObject({ id: String(ids.sent), status: 'read' });
  });

  it('links, once, a send that only message_keys knew by its WhatsApp id; a retried one stays unlinked', async () => {
    expect(await t.app.get(StoreMigrations, { strict: false }).isDone(MESSAGE_KEYS_MIGRATION)).toBe(true);
    expect(await repo.findByWaId(ACC, CH, 'true_x@c.us_CUT')).toMatchObject({ id: String(ids.cutOff), waMessageId: 'true_x@c.us_CUT' });
    expect(await repo.findByWaId(ACC, CH, 'true_x@c.us_REFUSED')).toBeUndefined();
    expect((await repo.findById(ACC, String(ids.requeued)))?.waMessageId).toBeUndefined();
    // The old collection stays, unread.
    expect(await raw.collection('message_keys').countDocuments()).toBe(6);
    // Run again (another process, a later boot): nothing more to do.
    expect(await t.app.get(MessageKeysMigration, { strict: false }).migrate()).toBe(0);
  });

  it('stores anew a WhatsApp id whose old key has no message', async () => {
    const res = await repo.insertInbound(ACC, { channelId: CH, waMessageId: 'false_x@c.us_LOST', chatId: '5521911112222@c.us', isGroup: false, fromMe: false, kind: 'text', body: 'late', status: 'received', timestamp: new Date() });
    expect(res.created).toBe(true);
    expect((await repo.findByWaId(ACC, CH, 'false_x@c.us_LOST'))?.id).toBe(res.message.id);
  });

  it('keeps waKey and idemKey unique where set, and lets any number of messages lack them', async () => {
    const messages = raw.collection('messages');
    const indexes = await messages.listIndexes().toArray();
    expect(indexes.find((i) => i.key.waKey === 1)).toMatchObject({ unique: true });
    expect(indexes.find((i) => i.key.idemKey === 1)).toMatchObject({ unique: true });
    expect(await messages.countDocuments({ waKey: { $exists: false } })).toBeGreaterThan(1);
    const store = t.app.get(StoreAdapter, { strict: false });
    const dup = await messages.insertOne({ ...base, _id: id(), direction: 'inbound', fromMe: false, status: 'received', waKey: `${CH}:false_x@c.us_IN` }).catch((e: unknown) => e);
    expect(store.isUniqueViolation(dup)).toBe(true);
    const dupIdem = await messages.insertOne({ ...base, _id: id(), direction: 'outbound', fromMe: true, status: 'queued', idemKey: `idem:${ACC}:old-key` }).catch((e: unknown) => e);
    expect(store.isUniqueViolation(dupIdem)).toBe(true);
  });
});
