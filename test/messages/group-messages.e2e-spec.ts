import { buildVcard } from '../../src/messages/content/vcard';
import { eventually } from '../whatsapp/whatsapp-helpers';
import { FILES, MediaServer, Messaging, startMessaging } from './messaging-harness';

jest.setTimeout(60_000);

const GROUP = '120363031111111111@g.us';
const MEMBER = '5521977771111';
const MEMBER2 = '5521977772222';

/** Group messages (SDK 6) by channel, group id and platform, through the real client in the sandbox. */
describe('messages to a group (SDK 6) through the sandbox', () => {
  let m: Messaging;
  let media: MediaServer;
  let target: { channelId: string; recipientNumber: string; platform: string };
  let meDigits: string;

  beforeAll(async () => {
    media = new MediaServer();
    await media.start(1000);
    m = await startMessaging('msggrp', 'acc-msg-grp');
    meDigits = m.me.replace('@c.us', '');
    const group = await m.acc.put(m.sbx('/groups'), { id: GROUP, subject: 'Clientes VIP', participants: [MEMBER, MEMBER2], admins: [meDigits] });
    expect(group.status).toBe(204);
    target = { channelId: m.channel.id, recipientNumber: GROUP, platform: 'karoochat' };
  });
  afterAll(async () => {
    await m?.close();
    await media?.stop();
  });

  const group = (body: Record<string, unknown>) => m.acc.post('/messages/group', { ...target, ...body });
  const post = (kind: string, body: Record<string, unknown>) => m.acc.post(`/messages/${kind}`, { ...target, ...body });
  /** A member's message in the group, stored by the inbound pipeline. */
  async function memberMessage(text: string, author = MEMBER): Promise<{ waId: string; id: string }> {
    const res = await m.acc.post(m.sbx('/inbound'), { from: GROUP, author, text });
    expect(res.status).toBe(201);
    const contact = (await m.acc.get(`/contacts?channelId=${m.channel.id}&type=group`)).body.data[0];
    const stored = await eventually(
      () => m.acc.get(`/contacts/${contact.id}/messages?limit=100`),
      (r) => r.body.data?.some((x: any) => x.waMessageId === res.body.messageId),
      10_000,
      'member message stored',
    );
    return { waId: res.body.messageId, id: stored.body.data.find((x: any) => x.waMessageId === res.body.messageId).id };
  }

  it('sends text to a group as the guide shows (6.1), with the group as contact', async () => {
    const res = await group({ text: 'Mensagem para o grupo' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ kind: 'text', chatId: GROUP, isGroup: true, platform: 'karoochat', body: 'Mensagem para o grupo', status: 'queued' });
    expect(res.body.conversationId).toBeUndefined();
    const sent = await m.waitSent(res.body.id);
    expect(sent.waMessageId).toMatch(new RegExp(`^true_${GROUP}_[A-Z0-9]+_${meDigits}@c\\.us$`));
    expect(await m.outboxMessage(sent.waMessageId)).toMatchObject({ type: 'chat', chatId: GROUP, participant: m.me, body: 'Mensagem para o grupo' });
    const contact = await m.acc.get(`/contacts/${res.body.contactId}`);
    expect(contact.body).toMatchObject({ type: 'group', contactIdentifier: GROUP });

    const named = await group({ text: 'com nome', agentName: 'Maria' });
    expect((await m.outboxMessage((await m.waitSent(named.body.id)).waMessageId)).body).toBe('*Maria*:\ncom nome');
  });

  it('sends media with a caption to a group (6.2, 6.3)', async () => {
    const res = await group({ mediaUri: media.url('/photo.png'), caption: 'Foto do produto' });
    expect(res.body).toMatchObject({ kind: 'image', caption: 'Foto do produto' });
    const out = await m.outboxMessage((await m.waitSent(res.body.id)).waMessageId);
    expect(out).toMatchObject({ type: 'image', chatId: GROUP, caption: 'Foto do produto', mimetype: 'image/png' });
    expect(Buffer.from(out.media.dataBase64, 'base64').equals(FILES.png)).toBe(true);
    const doc = await group({ mediaUri: media.url('/files/relat%C3%B3rio.pdf'), caption: 'Relatório' });
    expect(await m.outboxMessage((await m.waitSent(doc.body.id)).waMessageId)).toMatchObject({ type: 'document', filename: 'relatório.pdf', caption: 'Relatório' });
  });

  it('sends a sticker, contact cards, a location and an address to a group (6.4, 6.5, 6.8, 6.9)', async () => {
    const sticker = await post('sticker', { mediaUri: media.url('/photo.png') });
    expect(await m.outboxMessage((await m.waitSent(sticker.body.id)).waMessageId)).toMatchObject({ type: 'sticker', chatId: GROUP, mimetype: 'image/webp' });

    const cards = [
      { name: 'Suporte', phone: '5521955550001' },
      { name: 'Vendas', phone: '5521955550002', organization: 'Loja' },
    ];
    const contacts = await post('contacts', { contacts: cards });
    expect(contacts.body.vcards).toEqual(cards.map(buildVcard));
    await m.waitSent(contacts.body.id);
    const vcards = (await m.outbox()).filter((e) => e.kind === 'message' && e.chatId === GROUP && e.type === 'vcard').map((e) => e.body);
    expect(vcards).toEqual(cards.map(buildVcard));

    const loc = await post('location', { latitude: -23.5505, longitude: -46.6333, name: 'Praça da Sé', url: 'https://maps.example.com/?q=se' });
    expect(await m.outboxMessage((await m.waitSent(loc.body.id)).waMessageId)).toMatchObject({ type: 'location', chatId: GROUP, lat: -23.5505, lng: -46.6333, loc: 'Praça da Sé', clientUrl: 'https://maps.example.com/?q=se' });
    const addr = await post('address', { latitude: -23.56, longitude: -46.65, name: 'Filial Paulista', address: 'Av. Paulista, 1000' });
    expect(await m.outboxMessage((await m.waitSent(addr.body.id)).waMessageId)).toMatchObject({ type: 'location', loc: 'Filial Paulista\nAv. Paulista, 1000' });
  });

  it('replies to and reacts to a member message in the group (6.6)', async () => {
    const member = await memberMessage('Tem desconto?');
    expect(member.waId).toMatch(new RegExp(`^false_${GROUP}_[A-Z0-9]+_${MEMBER}@c\\.us$`));
    const reply = await group({ text: 'Sim, 10%', quotedMessageId: member.waId });
    expect(await m.outboxMessage((await m.waitSent(reply.body.id)).waMessageId)).toMatchObject({ quotedId: member.waId });

    const reaction = await post('reaction', { messageId: member.id, emoji: '👍' });
    expect(reaction.status).toBe(200);
    expect(reaction.body.message.reactions).toEqual([expect.objectContaining({ senderId: m.me, emoji: '👍' })]);
    expect((await m.outbox()).filter((e) => e.kind === 'reaction' && e.msgId === member.waId).map((e) => [e.chatId, e.emoji])).toEqual([[GROUP, '👍']]);
  });

  it('forwards from a customer chat into the group and from the group into a conversation (6.11)', async () => {
    const conversation = await m.startConversation('5521988884444');
    const inbound = await m.acc.post(m.sbx('/inbound'), { from: '5521988884444', text: 'Preciso de ajuda com o pedido 123' });
    const stored = await eventually(
      () => m.acc.get(`/conversations/${conversation.id}/messages`),
      (r) => r.body.data?.some((x: any) => x.waMessageId === inbound.body.messageId),
      10_000,
      'customer message stored',
    );
    const source = stored.body.data.find((x: any) => x.waMessageId === inbound.body.messageId);
    const intoGroup = await post('forward', { messageId: source.id });
    expect(intoGroup.status).toBe(202);
    await m.waitSent(intoGroup.body.id);
    expect((await m.outbox()).filter((e) => e.kind === 'message' && e.chatId === GROUP && e.isForwarded).map((e) => e.body)).toContain('Preciso de ajuda com o pedido 123');

    const member = await memberMessage('mensagem do grupo', MEMBER2);
    const intoChat = await m.acc.post('/messages/forward', { sessionId: conversation.id, messageId: member.waId });
    expect(intoChat.status).toBe(202);
    await m.waitSent(intoChat.body.id);
    expect((await m.outbox()).filter((e) => e.kind === 'message' && e.chatId === '5521988884444@c.us' && e.isForwarded).map((e) => e.body)).toEqual(['mensagem do grupo']);
  });

  it('deletes our group message with the guide fields (6.12): the sandbox sees a revoke', async () => {
    const res = await group({ text: 'apagar isto' });
    const sent = await m.waitSent(res.body.id);
    const del = await m.acc.post('/messages/delete', { messageId: sent.waMessageId, senderId: m.me, channelSlug: 'karoochat' });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ outcome: 'revoked', message: { id: res.body.id, revoked: { outcome: 'revoked' } } });
    expect((await m.outbox()).filter((e) => e.msgId === sent.waMessageId).map((e) => [e.kind, e.chatId])).toEqual([['revoke', GROUP]]);
  });

  it("lets the group admin delete a member's message for everyone, checking the sender", async () => {
    const member = await memberMessage('spam', MEMBER2);
    const wrong = await m.acc.post('/messages/delete', { messageId: member.waId, senderId: MEMBER, channelSlug: 'karoochat' });
    expect(wrong.body.code).toBe('SENDER_MISMATCH');
    const del = await m.acc.post('/messages/delete', { messageId: member.waId, senderId: `${MEMBER2}@c.us`, channelSlug: 'karoochat' });
    expect(del.status).toBe(200);
    expect(del.body.outcome).toBe('revoked');
    expect((await m.outbox()).filter((e) => e.msgId === member.waId).map((e) => e.kind)).toEqual(['revoke']);
  });

  it('moves a group message status with its acks', async () => {
    const res = await group({ text: 'acks no grupo' });
    const sent = await m.waitSent(res.body.id);
    await m.acc.post(m.sbx(`/messages/${encodeURIComponent(sent.waMessageId)}/ack`), { ack: 'read' });
    await m.waitFor(res.body.id, (x) => x.status === 'read', 'read in group');
  });

  it('answers 422 ENGINE_FEATURE_UNSUPPORTED for interactive messages and location requests in groups (6.7, 6.10)', async () => {
    const res = await post('interactive', { type: 'button', body: 'Confirma?', buttons: [{ id: 'y', title: 'Sim' }] });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'ENGINE_FEATURE_UNSUPPORTED', details: { feature: 'interactive' } });
    expect((await post('location-request', { text: 'Onde?' })).body.details.feature).toBe('location_request');
  });

  it('gives each bad group target its code', async () => {
    expect((await group({ text: 'x', recipientNumber: 'grupo123' })).body.code).toBe('INVALID_GROUP_ID');
    expect((await group({ text: 'x', platform: 'nope' })).body.code).toBe('UNKNOWN_PLATFORM');
    const missing = await group({ text: 'x', channelId: '64ef5c84f9deb1326965919e' });
    expect([missing.status, missing.body.code]).toEqual([404, 'CHANNEL_NOT_FOUND']);
    expect((await m.acc.post('/messages/group', { channelId: m.channel.id, recipientNumber: GROUP, text: 'x' })).body.code).toBe('VALIDATION_FAILED');
    const partial = await m.acc.post('/messages/location', { channelId: m.channel.id, latitude: 1, longitude: 1 });
    expect(partial.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'recipientNumber' }] });
    const unknownReaction = await post('reaction', { messageId: 'false_x@g.us_NOPE_y@c.us', emoji: '👍' });
    expect(unknownReaction.body.code).toBe('MESSAGE_NOT_FOUND');
    expect((await group({ text: 'x', quotedMessageId: 'false_x@g.us_NOPE_y@c.us' })).body.code).toBe('QUOTED_MESSAGE_NOT_FOUND');
  });

  it('keeps the history of the group, both directions', async () => {
    const contact = (await m.acc.get(`/contacts?channelId=${m.channel.id}&type=group`)).body.data[0];
    const history = await m.acc.get(`/contacts/${contact.id}/messages?limit=100`);
    expect(history.body.data.every((x: any) => x.chatId === GROUP && x.isGroup)).toBe(true);
    expect(new Set(history.body.data.map((x: any) => x.direction))).toEqual(new Set(['inbound', 'outbound']));
  });
});
