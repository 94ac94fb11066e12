import { ContactApi, MessageApi, OmnichannelClient, WhatsappWebUtils } from '@cirrus/omnichannel_api';
import { accountClient, ApiClient } from '../harness/http';
import { Messaging, startMessaging } from '../messages/messaging-harness';
import { setupChannel } from '../whatsapp/whatsapp-helpers';

jest.setTimeout(90_000);

const GROUP = '120363051111111111@g.us';
const MEMBER = '5521977773333';
const CUSTOMER = '5521988883333';

/**
 * The SDK over the gaps a platform developer hit: a channel's groups, deleting a contact, and
 * deleting an individual message (the guide's 5.12 says it is not supported; it is).
 */
describe('SDK: WhatsappWebUtils.listGroups, ContactApi.delete, MessageApi.deleteMessage on an individual chat', () => {
  let m: Messaging;
  let whatsapp: WhatsappWebUtils;
  let contacts: ContactApi;
  let messages: MessageApi;
  let foreign: { whatsapp: WhatsappWebUtils; contacts: ContactApi };

  beforeAll(async () => {
    m = await startMessaging('sdkgaps', 'acc-sdk-gaps');
    const client = new OmnichannelClient({ baseUrl: m.t.baseUrl, apiKey: m.acc.key });
    whatsapp = new WhatsappWebUtils(client);
    contacts = new ContactApi(client);
    messages = new MessageApi(client);
    const other = await accountClient(new ApiClient(m.t.baseUrl, m.t.adminKey), 'acc-sdk-gaps-other');
    const otherClient = new OmnichannelClient({ baseUrl: m.t.baseUrl, apiKey: other.key });
    foreign = { whatsapp: new WhatsappWebUtils(otherClient), contacts: new ContactApi(otherClient) };
  });
  afterAll(() => m?.close());

  it('lists the groups and sends to one by the id it gives', async () => {
    const me = m.me.replace('@c.us', '');
    expect((await m.acc.put(m.sbx('/groups'), { id: GROUP, subject: 'Fornecedores', participants: [MEMBER], admins: [me] })).status).toBe(204);
    const groups = await whatsapp.listGroups({ channelId: m.channel.id });
    expect(groups).toEqual([{ id: GROUP, subject: 'Fornecedores', participantsCount: 2, isMember: true, isAdmin: true }]);
    const sent = await messages.sendGroupMessage({ channelId: m.channel.id, recipientNumber: groups[0].id, platform: 'karoochat', text: 'Pedido da semana' });
    expect(sent).toMatchObject({ chatId: GROUP, isGroup: true });
  });

  it('surfaces the server codes: CHANNEL_NOT_FOUND for another account, CHANNEL_NOT_READY for a session not READY, INVALID_ID', async () => {
    await expect(foreign.whatsapp.listGroups({ channelId: m.channel.id })).rejects.toMatchObject({ status: 404, code: 'CHANNEL_NOT_FOUND' });
    const idle = await setupChannel(m.acc);
    await expect(whatsapp.listGroups({ channelId: idle.id })).rejects.toMatchObject({ status: 422, code: 'CHANNEL_NOT_READY' });
    await expect(whatsapp.listGroups({ channelId: 'nope' })).rejects.toMatchObject({ status: 400, code: 'INVALID_ID' });
  });

  it('deletes a contact once, and not one of another account', async () => {
    const contact = await contacts.create({ channelId: m.channel.id, contactIdentifier: CUSTOMER, name: 'Cliente', type: 'individual', channelType: 'whatsapp' });
    await expect(foreign.contacts.delete({ contactId: contact.id })).rejects.toMatchObject({ status: 404, code: 'CONTACT_NOT_FOUND' });
    await expect(contacts.delete({ contactId: contact.id })).resolves.toEqual({ id: contact.id, deleted: true });
    await expect(contacts.getById({ contactId: contact.id })).rejects.toMatchObject({ status: 404, code: 'CONTACT_NOT_FOUND' });
    await expect(contacts.delete({ contactId: contact.id })).rejects.toMatchObject({ status: 404, code: 'CONTACT_NOT_FOUND' });
    await expect(contacts.delete({ contactId: 'nope' })).rejects.toMatchObject({ status: 400, code: 'INVALID_ID' });
  });

  it('deletes an individual message for everyone (5.12), and reports WhatsApp keeping a customer message as DELETE_WINDOW_PASSED', async () => {
    const conversation = await m.startConversation(CUSTOMER);
    const sent = await messages.sendMessage({ sessionId: conversation.id, agentName: 'Ana', text: 'enviada por engano' });
    await m.waitSent(sent.id);
    const deleted = await messages.deleteMessage({ messageId: sent.id, senderId: m.channel.clientNumber, channelSlug: 'karoochat' });
    expect(deleted).toMatchObject({ outcome: 'revoked', message: { id: sent.id, revoked: { outcome: 'revoked' } } });
    expect((await m.outbox()).filter((e) => e.kind === 'revoke').length).toBeGreaterThan(0);

    const inbound = await m.acc.post(m.sbx('/inbound'), { from: CUSTOMER, text: 'mensagem do cliente' });
    const attempt = async () => {
      try {
        return await messages.deleteMessage({ messageId: inbound.body.messageId, senderId: CUSTOMER, channelSlug: 'karoochat' });
      } catch (e) {
        return e as { status: number; code: string };
      }
    };
    let refused = await attempt();
    for (let i = 0; i < 50 && (refused as { status?: number }).status === 404; i++) {
      await new Promise((r) => setTimeout(r, 100));
      refused = await attempt();
    }
    expect(refused).toMatchObject({ status: 422, code: 'DELETE_WINDOW_PASSED', details: { outcome: 'deleted_for_me' } });
  });
});
