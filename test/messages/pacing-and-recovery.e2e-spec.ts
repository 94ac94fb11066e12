import { MessagesRepository } from '../../src/messages/messages.repository';
import { SendQueues } from '../../src/messages/pipeline/send-queues';
import { eventually, waitForState } from '../whatsapp/whatsapp-helpers';
import { Messaging, startMessaging } from './messaging-harness';

jest.setTimeout(120_000);

const PACING_MS = 700;
const CUSTOMER = '5521988887777';
const CHAT = `${CUSTOMER}@c.us`;

/** The send queue with pacing on, and what happens to queued messages when the session drops. */
describe('outbound pipeline: pacing, disconnects and the sweeper', () => {
  let m: Messaging;
  let sessionId: string;

  beforeAll(async () => {
    m = await startMessaging('msgpace', 'acc-msg-pace', { SEND_MIN_INTERVAL_MS: String(PACING_MS) });
    sessionId = (await m.startConversation(CUSTOMER)).id;
  });
  afterAll(() => m?.close());

  const send = (text: string) => m.acc.post('/messages/send', { agentName: 'Ana', sessionId, text, showAgentName: false });
  const texts = (entries: any[]) => entries.filter((e) => e.kind === 'message' && e.chatId === CHAT).map((e) => e.body as string);

  it('paces sends of one number at SEND_MIN_INTERVAL_MS', async () => {
    await m.acc.delete(m.sbx('/outbox'));
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await send(`ritmo ${i}`)).body.id);
    for (const id of ids) await m.waitSent(id);
    const times = (await m.outbox()).filter((e) => e.kind === 'message').map((e) => e.at as number);
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // BullMQ's limiter lets a job start once per window. These are arrival times at the phone, so each
    // gap also carries the jitter of one send through Chromium (~100 ms seen under full-suite load):
    // the span of the burst holds the pacing exactly, each gap only roughly. Unpaced, the four arrive
    // within ~200 ms and both checks fail.
    expect(times[3] - times[0]).toBeGreaterThanOrEqual(3 * PACING_MS - 200);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(PACING_MS / 2);
  });

  it('keeps queued messages through a disconnect and sends them once, in order, when the session is back', async () => {
    await m.acc.delete(m.sbx('/outbox'));
    // A message stored as queued whose job never made it to Redis (a crash between the two writes).
    const repo = m.t.app.get(MessagesRepository, { strict: false });
    const { message: orphan } = await repo.insertOutbound('acc-msg-pace', {
      channelId: m.channel.id, chatId: CHAT, isGroup: false, kind: 'text', body: 'órfã', conversationId: sessionId, platform: 'karoochat',
      timestamp: new Date(), outbound: { op: 'send' },
    });

    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push((await send(`fila ${i}`)).body.id);
    await m.waitSent(ids[0]);
    const before = texts(await m.outbox());
    const dropped = await m.acc.post(m.sbx('/conflict'));
    expect(dropped.body).toMatchObject({ state: 'DISCONNECTED', reason: 'CONFLICT' });

    const refused = await send('durante a queda');
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'CHANNEL_NOT_READY', details: { state: expect.any(String) } });

    await waitForState(m.acc, m.channel.id, 'READY', 30_000);
    const sent = await Promise.all(ids.map((id) => m.waitSent(id)));
    expect(new Set(sent.map((x) => x.waMessageId)).size).toBe(5);
    await m.waitSent(orphan.id);
    const after = texts(await m.outbox());

    // The browser was replaced: its outbox starts empty. Together, the two show each message once, in order.
    const all = [...before, ...after].filter((t) => t.startsWith('fila '));
    expect(new Set(all).size).toBe(all.length);
    const expected = ['fila 1', 'fila 2', 'fila 3', 'fila 4', 'fila 5'];
    expect(all).toEqual(expected.filter((t) => all.includes(t)));
    expect(after).toContain('órfã');
    // Some of them really waited through the disconnect.
    expect(after.filter((t) => t.startsWith('fila ')).length).toBeGreaterThan(0);
    expect(all.length).toBeGreaterThanOrEqual(4);
  });

  it('records a send interrupted by a crash as failed rather than sending it twice', async () => {
    const repo = m.t.app.get(MessagesRepository, { strict: false });
    const { message } = await repo.insertOutbound('acc-msg-pace', {
      channelId: m.channel.id, chatId: CHAT, isGroup: false, kind: 'text', body: 'interrompida', conversationId: sessionId, platform: 'karoochat',
      timestamp: new Date(), outbound: { op: 'send' },
    });
    // As a process that died after claiming it: status sending, no WhatsApp id, job redelivered.
    expect(await repo.claimForSending('acc-msg-pace', m.channel.id, message.id, 1)).toBe(true);
    const queues = m.t.app.get(SendQueues, { strict: false });
    await queues.enqueueSend('acc-msg-pace', m.channel.id, message.id);
    const failed = await eventually(() => m.acc.get(`/messages/${message.id}`), (r) => r.body.status === 'failed', 15_000, 'interrupted send failed');
    expect(failed.body.statusReason).toMatch(/^SEND_INTERRUPTED/);
    expect(texts(await m.outbox())).not.toContain('interrompida');
  });
});
