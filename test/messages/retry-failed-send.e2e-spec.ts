import { MessageApi, OmnichannelClient, OmnichannelError } from '@cirrus/omnichannel_api';
import { MessageStatusService } from '../../src/messages/message-status.service';
import { MessagesRepository } from '../../src/messages/messages.repository';
import { accountClient, ApiClient } from '../harness/http';
import { WebhookReceiver, waitFor } from '../webhooks/receiver';
import { Messaging, startMessaging } from './messaging-harness';

jest.setTimeout(120_000);

const ACCOUNT = 'acc-msg-retry';
/** Groups the linked account is not in yet: WhatsApp Web has no such chat, so a send to them fails. */
const LATER_GROUP = '120363011111111111@g.us';
const NEVER_GROUP = '120363022222222222@g.us';

/**
 * POST /messages/:messageId/retry through real HTTP, the real whatsapp-web.js client in the sandbox and a
 * local platform receiving the `message.status` webhooks: a send fails for a real reason (a group the
 * number is not in), the cause is fixed (the number joins it), the retry sends it under the same id.
 */
describe('retrying a failed send', () => {
  let m: Messaging;
  let receiver: WebhookReceiver;
  let messageApi: MessageApi;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    m = await startMessaging('msgretry', ACCOUNT, { WEBHOOK_RETRY_DELAYS_MS: '0,300' });
    const hook = await m.acc.patch(`/channels/${m.channel.id}/platforms/karoochat`, { callbackUrl: `${receiver.url}/hook` });
    expect(hook.status).toBe(200);
    // Deliveries read endpoints through a 5 s cache: let the new URL apply before anything is sent.
    await new Promise((r) => setTimeout(r, 5_200));
    messageApi = new MessageApi(new OmnichannelClient({ baseUrl: m.t.baseUrl, apiKey: m.acc.key }));
  });
  afterAll(async () => {
    await m?.close();
    await receiver?.stop();
  });

  const toGroup = (group: string, text: string) => m.acc.post('/messages/group', { channelId: m.channel.id, recipientNumber: group, platform: 'karoochat', text });
  /** The `message.status` webhooks of one message, in the order they were recorded. */
  const statuses = (messageId: string) =>
    receiver
      .ofType('message.status')
      .map((r) => JSON.parse(r.body))
      .filter((p) => p.data.messageId === messageId)
      .sort((a, b) => a.chat.seq - b.chat.seq)
      .map((p) => ({ status: p.data.status, previousStatus: p.data.previousStatus, retry: p.data.retry, reason: p.data.reason }));

  it('sends a failed message again under the same id once its cause is fixed, with message.status webhooks', async () => {
    const accepted = await toGroup(LATER_GROUP, 'Promoção de hoje');
    expect(accepted.status).toBe(202);
    const id = accepted.body.id;
    const failed = await m.waitFor(id, (x) => x.status === 'failed', 'the send to an unknown group failed');
    expect(failed.statusReason).toMatch(/^ENGINE_ERROR: /);
    await waitFor('the failed webhook', () => statuses(id).some((s) => s.status === 'failed'));

    // The number joins the group; the operator retries (through the SDK's method).
    expect((await m.acc.put(m.sbx('/groups'), { id: LATER_GROUP, subject: 'Ofertas', participants: ['5521911110000'] })).status).toBe(204);
    await m.acc.delete(m.sbx('/outbox'));
    const retried = await messageApi.retryMessage({ messageId: id });
    expect(retried).toMatchObject({ id, status: 'queued' });
    expect(retried.statusReason).toBeUndefined();

    const sent = await m.waitSent(id);
    expect(sent).toMatchObject({ id, chatId: LATER_GROUP, body: 'Promoção de hoje' });
    expect(sent.statusReason).toBeUndefined();
    const outbox = (await m.outbox()).filter((e) => e.kind === 'message');
    expect(outbox.map((e) => [e.id, e.chatId, e.body])).toEqual([[sent.waMessageId, LATER_GROUP, 'Promoção de hoje']]);

    // The platform hears the failure, the retry (queued after failed) and the send, each once.
    await waitFor('the sent webhook of the retry', () => statuses(id).some((s) => s.status === 'sent'));
    expect(statuses(id)).toEqual([
      { status: 'failed', previousStatus: 'sending', retry: undefined, reason: failed.statusReason },
      { status: 'queued', previousStatus: 'failed', retry: 1, reason: undefined },
      { status: 'sent', previousStatus: 'sending', retry: 1, reason: undefined },
    ]);

    // Sent now: nothing to retry.
    const again = await m.acc.post(`/messages/${id}/retry`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'MESSAGE_NOT_RETRYABLE', details: { status: 'sent' } });
    expect(again.body.message).toMatch(/is sent: only a failed send can be retried/);
  });

  it('fails again with the same reason when the cause remains, and tells the platform again', async () => {
    const id = (await toGroup(NEVER_GROUP, 'Sem grupo')).body.id;
    const first = await m.waitFor(id, (x) => x.status === 'failed', 'first failure');
    const res = await m.acc.post(`/messages/${id}/retry`);
    expect([res.status, res.body.status, res.body.id]).toEqual([202, 'queued', id]);
    const second = await m.waitFor(id, (x) => x.status === 'failed', 'second failure');
    expect(second.statusReason).toBe(first.statusReason);
    await waitFor('the second failed webhook', () => statuses(id).filter((s) => s.status === 'failed').length === 2);
    expect(statuses(id).map((s) => [s.status, s.retry])).toEqual([
      ['failed', undefined],
      ['queued', 1],
      ['failed', 1],
    ]);
  });

  it('retries a message WhatsApp took and then refused (ack error) as a new copy, deaf to the refused copy', async () => {
    const first = await m.waitSent((await toGroup(LATER_GROUP, 'recusada pelo WhatsApp')).body.id);
    // WhatsApp's ack -1 (the sandbox phone cannot send it): the same call the inbound pipeline makes.
    await m.t.app.get(MessageStatusService, { strict: false }).onAck({ clientIdentifier: ACCOUNT, channelId: m.channel.id }, first.waMessageId, 'failed');
    const failed = await m.waitFor(first.id, (x) => x.status === 'failed', 'ack error');
    expect(failed).toMatchObject({ statusReason: 'WHATSAPP_ACK_ERROR', waMessageId: first.waMessageId });

    await m.acc.delete(m.sbx('/outbox'));
    const res = await m.acc.post(`/messages/${first.id}/retry`);
    expect([res.status, res.body.status, res.body.waMessageId]).toEqual([202, 'queued', undefined]);
    const resent = await m.waitSent(first.id);
    expect(resent.waMessageId).toEqual(expect.any(String));
    expect(resent.waMessageId).not.toBe(first.waMessageId);
    expect((await m.outbox()).filter((e) => e.kind === 'message').map((e) => e.id)).toEqual([resent.waMessageId]);

    // A late ack of the refused copy no longer moves the message; the new copy's acks do.
    expect((await m.acc.post(m.sbx(`/messages/${first.waMessageId}/ack`), { ack: 'read' })).status).toBe(204);
    expect((await m.acc.post(m.sbx(`/messages/${resent.waMessageId}/ack`), { ack: 'delivered' })).status).toBe(204);
    await m.waitFor(first.id, (x) => x.status !== 'sent', 'the new copy delivered');
    await new Promise((r) => setTimeout(r, 500));
    expect((await m.acc.get(`/messages/${first.id}`)).body).toMatchObject({ status: 'delivered', waMessageId: resent.waMessageId });
  });

  it('refuses what is not a failed send of the account: 404 for another account, 409 otherwise, 400 for a bad id', async () => {
    const id = (await toGroup(NEVER_GROUP, 'de outra conta')).body.id;
    await m.waitFor(id, (x) => x.status === 'failed', 'failure');
    const other = await accountClient(new ApiClient(m.t.baseUrl, m.t.adminKey), 'acc-msg-retry-other');
    const foreign = await other.post(`/messages/${id}/retry`);
    expect([foreign.status, foreign.body.code]).toEqual([404, 'MESSAGE_NOT_FOUND']);
    expect((await m.acc.get(`/messages/${id}`)).body.status).toBe('failed');

    // A message received from a customer.
    expect((await m.acc.post(m.sbx('/inbound'), { from: '5521933334444', text: 'oi, tudo bem?' })).status).toBe(201);
    const received = await waitFor('the inbound message stored', async () => {
      const recent = await m.acc.get(`/console/api/channels/${m.channel.id}/messages?limit=20`);
      return (recent.body as { id: string; direction: string; body?: string }[]).find((x) => x.direction === 'inbound' && x.body === 'oi, tudo bem?');
    });
    const onReceived = await m.acc.post(`/messages/${received.id}/retry`);
    expect([onReceived.status, onReceived.body.code]).toEqual([409, 'MESSAGE_NOT_RETRYABLE']);

    const unknown = await m.acc.post('/messages/64ef5c84f9deb1326965919e/retry');
    expect([unknown.status, unknown.body.code]).toEqual([404, 'MESSAGE_NOT_FOUND']);
    const malformed = await m.acc.post('/messages/not-an-id/retry');
    expect([malformed.status, malformed.body.code]).toEqual([400, 'INVALID_ID']);
    const anonymous = await new ApiClient(m.t.baseUrl).post(`/messages/${id}/retry`);
    expect(anonymous.status).toBe(401);

    // The SDK surfaces the refusal as its typed error.
    const sent = await m.waitSent((await toGroup(LATER_GROUP, 'já enviada')).body.id);
    await expect(messageApi.retryMessage({ messageId: sent.id })).rejects.toMatchObject({ status: 409, code: 'MESSAGE_NOT_RETRYABLE' });
    await expect(messageApi.retryMessage({ messageId: sent.id })).rejects.toBeInstanceOf(OmnichannelError);
  });

  it('stores the retry: failure kept aside, the refused copy forgotten, one retry of two racing, phone messages refused', async () => {
    // A channel with no session (no worker): what the repository stored is read before anything sends it.
    const repo = m.t.app.get(MessagesRepository, { strict: false });
    const status = m.t.app.get(MessageStatusService, { strict: false });
    const channelId = '64ef5c84f9deb1326965919e';
    const chatId = '5521955556666@c.us';
    const { message } = await repo.insertOutbound(ACCOUNT, { channelId, chatId, isGroup: false, kind: 'text', body: 'x', timestamp: new Date(), outbound: { op: 'send' } });
    const oldWa = `true_${chatId}_3EB0OLDCOPY`;
    await status.markSent(message, oldWa);
    await status.move(message, 'failed', { reason: 'WHATSAPP_ACK_ERROR' });

    const [a, b] = await Promise.all([repo.requeueFailed(ACCOUNT, message.id), repo.requeueFailed(ACCOUNT, message.id)]);
    expect([a?.requeued, b?.requeued].sort()).toEqual([false, true]);
    const stored = await repo.findById(ACCOUNT, message.id);
    expect(stored).toMatchObject({ status: 'queued', outbound: { retries: 1, failures: [{ reason: 'WHATSAPP_ACK_ERROR', waMessageId: oldWa }] } });
    expect(stored?.waMessageId).toBeUndefined();
    expect(stored?.statusReason).toBeUndefined();
    expect(Object.keys(stored?.statusTimes ?? {})).toEqual(['queued']);
    expect(await repo.findByWaId(ACCOUNT, channelId, oldWa)).toBeUndefined();
    expect(await repo.requeueFailed('another-account', message.id)).toBeUndefined();

    // Typed on the phone (no send of ours to repeat), then refused by WhatsApp: not retryable.
    const phone = await repo.insertInbound(ACCOUNT, {
      channelId, waMessageId: `true_${chatId}_3EB0PHONE`, chatId, isGroup: false, fromMe: true, kind: 'text', body: 'do celular', status: 'sent', timestamp: new Date(),
    });
    await status.onAck({ clientIdentifier: ACCOUNT, channelId }, `true_${chatId}_3EB0PHONE`, 'failed');
    expect(await repo.requeueFailed(ACCOUNT, phone.message.id)).toMatchObject({ requeued: false, message: { status: 'failed' } });
  });
});
