import { eventually } from '../whatsapp/whatsapp-helpers';
import { Messaging, startMessaging } from '../messages/messaging-harness';
import { createTag } from './fixtures';

jest.setTimeout(90_000);

const JOAO = '5521988881111';
const MARIA = '5521988882222';

/**
 * DELETE /contacts/:contactId with real conversations and messages (inbound through the sandbox,
 * outbound through the send pipeline): what goes with the contact, what stays.
 */
describe('deleting a contact with its conversations and messages', () => {
  let m: Messaging;

  beforeAll(async () => {
    m = await startMessaging('contactdel', 'acc-contact-del');
  });
  afterAll(() => m?.close());

  /** A customer writes; resolves to the contact the inbound pipeline made and the stored message. */
  async function customerWrites(from: string, text: string): Promise<{ contactId: string; messageId: string }> {
    const res = await m.acc.post(m.sbx('/inbound'), { from, text });
    expect(res.status).toBe(201);
    const contact = await eventually(
      () => m.acc.get(`/contacts?channelId=${m.channel.id}&contactIdentifier=${from}`),
      (r) => r.body.data?.length === 1,
      10_000,
      `contact ${from}`,
    );
    const contactId = contact.body.data[0].id;
    const history = await eventually(
      () => m.acc.get(`/contacts/${contactId}/messages?limit=100`),
      (r) => r.body.data?.some((x: any) => x.waMessageId === res.body.messageId),
      10_000,
      `message of ${from} stored`,
    );
    return { contactId, messageId: history.body.data.find((x: any) => x.waMessageId === res.body.messageId).id };
  }

  it('deletes the conversations and messages, keeps the tags and the other contacts, and a new message makes a new contact', async () => {
    const joao = await customerWrites(JOAO, 'Oi, tem pão?');
    const maria = await customerWrites(MARIA, 'Bom dia');
    const tag = await createTag(m.acc, 'Padaria');
    expect((await m.acc.post(`/contacts/${joao.contactId}/tags`, { tagIds: [tag.id] })).status).toBe(200);
    const conversation = await m.startConversation(JOAO);
    expect(conversation.contactId).toBe(joao.contactId);
    const reply = await m.acc.post('/messages/send', { sessionId: conversation.id, agentName: 'Ana', text: 'Temos sim!' });
    expect(reply.status).toBe(202);
    const sent = await m.waitSent(reply.body.id);
    const eventsBefore = (await m.acc.get(`/webhooks/events?channelId=${m.channel.id}&limit=100`)).body.data.filter((e: any) => e.chatId === `${JOAO}@c.us`);
    expect(eventsBefore.length).toBeGreaterThan(0);

    const res = await m.acc.delete(`/contacts/${joao.contactId}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: joao.contactId, deleted: true });

    expect((await m.acc.get(`/contacts/${joao.contactId}`)).body.code).toBe('CONTACT_NOT_FOUND');
    expect((await m.acc.get(`/conversations/${conversation.id}`)).body.code).toBe('CONVERSATION_NOT_FOUND');
    expect((await m.acc.get(`/conversations?contactId=${joao.contactId}`)).body.total).toBe(0);
    for (const id of [joao.messageId, sent.id]) expect((await m.acc.get(`/messages/${id}`)).status).toBe(404);
    // A send to the deleted conversation is refused like any unknown one.
    expect((await m.acc.post('/messages/send', { sessionId: conversation.id, agentName: 'Ana', text: 'ainda aí?' })).status).toBe(404);
    // What stays: the tag, the other customer and her message, and the webhook events already recorded.
    expect((await m.acc.get(`/tags/${tag.id}`)).status).toBe(200);
    expect((await m.acc.get(`/contacts/${maria.contactId}`)).status).toBe(200);
    expect((await m.acc.get(`/messages/${maria.messageId}`)).status).toBe(200);
    const eventsAfter = (await m.acc.get(`/webhooks/events?channelId=${m.channel.id}&limit=100`)).body.data.filter((e: any) => e.chatId === `${JOAO}@c.us`);
    // None of the recorded events went; the sent reply's later status events may have joined them.
    expect(eventsAfter.map((e: any) => e.eventId)).toEqual(expect.arrayContaining(eventsBefore.map((e: any) => e.eventId)));

    expect((await m.acc.delete(`/contacts/${joao.contactId}`)).body.code).toBe('CONTACT_NOT_FOUND');

    // João writes again: a new contact whose history starts there.
    const again = await customerWrites(JOAO, 'Voltei');
    expect(again.contactId).not.toBe(joao.contactId);
    const history = await m.acc.get(`/contacts/${again.contactId}/messages?limit=100`);
    expect(history.body.data.map((x: any) => x.body)).toEqual(['Voltei']);
  });
});
