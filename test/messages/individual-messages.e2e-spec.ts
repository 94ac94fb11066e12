import { DomainEvent, DomainEventName, DomainEvents } from '../../src/common/events/domain-events';
import { buildVcard } from '../../src/messages/content/vcard';
import { eventually } from '../whatsapp/whatsapp-helpers';
import { FILES, MediaServer, Messaging, startMessaging } from './messaging-harness';

jest.setTimeout(60_000);

const CUSTOMER = '5521988881111';
const CHAT = `${CUSTOMER}@c.us`;

/** Every kind of message to one customer, through the API, the queue and the real whatsapp-web.js client in the sandbox. */
describe('messages to a conversation (SDK 5) through the sandbox', () => {
  let m: Messaging;
  let media: MediaServer;
  let sessionId: string;
  let contactId: string;
  const statuses: DomainEvent[] = [];

  beforeAll(async () => {
    media = new MediaServer();
    await media.start(300_000);
    m = await startMessaging('msgind', 'acc-msg-ind', { MEDIA_MAX_BYTES: '200000' });
    m.t.app.get(DomainEvents).on(DomainEventName.MessageStatus, (e) => void statuses.push(e));
    const conversation = await m.startConversation(CUSTOMER);
    sessionId = conversation.id;
    contactId = conversation.contactId;
  });
  afterAll(async () => {
    await m?.close();
    await media?.stop();
  });

  const send = (body: Record<string, unknown>, headers?: Record<string, string>) => m.acc.post('/messages/send', { agentName: 'Atendente João', sessionId, ...body }, headers);
  const post = (kind: string, body: Record<string, unknown>, headers?: Record<string, string>) => m.acc.post(`/messages/${kind}`, { sessionId, ...body }, headers);

  it('sends text with the agent name in bold on the first line, and returns the stored message at once', async () => {
    const res = await send({ text: 'Olá! Como posso ajudá-lo hoje?' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^[a-f0-9]{24}$/),
      status: 'queued',
      kind: 'text',
      direction: 'outbound',
      fromMe: true,
      chatId: CHAT,
      conversationId: sessionId,
      contactId,
      platform: 'karoochat',
      agentName: 'Atendente João',
      body: '*Atendente João*:\nOlá! Como posso ajudá-lo hoje?',
    });
    expect(res.body.outbound).toBeUndefined();
    const sent = await m.waitSent(res.body.id);
    expect(sent.waMessageId).toMatch(new RegExp(`^true_${CHAT}_`));
    expect(sent.senderId).toBe(m.me);
    const out = await m.outboxMessage(sent.waMessageId);
    expect(out).toMatchObject({ type: 'chat', chatId: CHAT, body: '*Atendente João*:\nOlá! Como posso ajudá-lo hoje?' });

    const plain = await send({ text: 'sem nome', showAgentName: false });
    expect((await m.outboxMessage((await m.waitSent(plain.body.id)).waMessageId)).body).toBe('sem nome');
  });

  it('sends media with its kind from the bytes: image with caption, document with its file name, voice note, video', async () => {
    const image = await send({ mediaUri: media.url('/photo.png'), caption: 'Segue a foto' });
    expect(image.status).toBe(202);
    expect(image.body).toMatchObject({ kind: 'image', caption: '*Atendente João*:\nSegue a foto', media: { mimetype: 'image/png', filename: 'photo.png', size: FILES.png.length } });
    const imageOut = await m.outboxMessage((await m.waitSent(image.body.id)).waMessageId);
    expect(imageOut).toMatchObject({ type: 'image', mimetype: 'image/png', caption: '*Atendente João*:\nSegue a foto' });
    expect(Buffer.from(imageOut.media.dataBase64, 'base64').equals(FILES.png)).toBe(true);

    const doc = await send({ mediaUri: media.url('/files/relat%C3%B3rio.pdf'), showAgentName: false });
    expect(doc.body).toMatchObject({ kind: 'document', media: { mimetype: 'application/pdf', filename: 'relatório.pdf' } });
    const docOut = await m.outboxMessage((await m.waitSent(doc.body.id)).waMessageId);
    expect(docOut).toMatchObject({ type: 'document', mimetype: 'application/pdf', filename: 'relatório.pdf' });
    expect(Buffer.from(docOut.media.dataBase64, 'base64').equals(FILES.pdf)).toBe(true);

    // The server says image/png; the bytes are a PDF: the bytes win, and fileName names it.
    const lying = await send({ mediaUri: media.url('/lying.png'), fileName: 'contrato.pdf', caption: 'contrato' });
    expect(lying.body).toMatchObject({ kind: 'document', media: { mimetype: 'application/pdf', filename: 'contrato.pdf' } });
    expect(await m.outboxMessage((await m.waitSent(lying.body.id)).waMessageId)).toMatchObject({ type: 'document', filename: 'contrato.pdf', caption: '*Atendente João*:\ncontrato' });

    const voice = await send({ mediaUri: media.url('/voice.ogg') });
    expect(voice.body).toMatchObject({ kind: 'audio', media: { mimetype: 'audio/ogg; codecs=opus', voice: true } });
    expect(await m.outboxMessage((await m.waitSent(voice.body.id)).waMessageId)).toMatchObject({ type: 'ptt' });

    const video = await send({ mediaUri: media.url('/clip.mp4'), caption: 'vídeo' });
    expect(video.body).toMatchObject({ kind: 'video', media: { mimetype: 'video/mp4' } });
    expect(await m.outboxMessage((await m.waitSent(video.body.id)).waMessageId)).toMatchObject({ type: 'video', mimetype: 'video/mp4' });

    const text = await send({ mediaUri: media.url('/notes.txt') });
    expect(text.body).toMatchObject({ kind: 'document', media: { mimetype: 'text/plain', filename: 'notes.txt' } });
  });

  it('sends a sticker from an image, and refuses a sticker that is not one', async () => {
    const res = await post('sticker', { mediaUri: media.url('/photo.png') });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ kind: 'sticker', media: { mimetype: 'image/png' } });
    const out = await m.outboxMessage((await m.waitSent(res.body.id)).waMessageId);
    expect(out).toMatchObject({ type: 'sticker', mimetype: 'image/webp' });
    expect(Buffer.from(out.media.dataBase64, 'base64').subarray(8, 12).toString('latin1')).toBe('WEBP');

    const pdf = await post('sticker', { mediaUri: media.url('/files/relat%C3%B3rio.pdf') });
    expect(pdf.status).toBe(422);
    expect(pdf.body).toMatchObject({ code: 'MEDIA_TYPE_NOT_ALLOWED', details: { mimetype: 'application/pdf' } });
  });

  it('sends contact cards as vCards', async () => {
    const card = { name: 'Maria Souza', phone: '+55 21 99999-8888', organization: 'ACME', email: 'maria@acme.com' };
    const res = await post('contacts', { contacts: [card] });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ kind: 'contacts', vcards: [buildVcard(card)] });
    const out = await m.outboxMessage((await m.waitSent(res.body.id)).waMessageId);
    expect(out).toMatchObject({ type: 'vcard', body: buildVcard(card), vcardFormattedName: 'Maria Souza' });
    expect(out.body).toContain('TEL;type=CELL;type=VOICE;waid=5521999998888:+5521999998888');
  });

  it('sends a location and an address (a named location)', async () => {
    const loc = await post('location', { latitude: -22.9519, longitude: -43.2105, name: 'Cristo Redentor' });
    expect(loc.status).toBe(202);
    expect(loc.body).toMatchObject({ kind: 'location', location: { latitude: -22.9519, longitude: -43.2105, name: 'Cristo Redentor' } });
    expect(await m.outboxMessage((await m.waitSent(loc.body.id)).waMessageId)).toMatchObject({ type: 'location', lat: -22.9519, lng: -43.2105, loc: 'Cristo Redentor' });

    const addr = await post('address', { latitude: -22.9035, longitude: -43.1762, name: 'Loja Centro', address: 'Rua da Assembleia, 10 - Centro' });
    expect(addr.body.location).toEqual({ latitude: -22.9035, longitude: -43.1762, name: 'Loja Centro', address: 'Rua da Assembleia, 10 - Centro' });
    expect(await m.outboxMessage((await m.waitSent(addr.body.id)).waMessageId)).toMatchObject({
      type: 'location',
      lat: -22.9035,
      lng: -43.1762,
      loc: 'Loja Centro\nRua da Assembleia, 10 - Centro',
    });
  });

  it('replies to a customer message by its WhatsApp id and to our own message by our id', async () => {
    const inbound = await m.acc.post(m.sbx('/inbound'), { from: CUSTOMER, text: 'Qual o horário?' });
    expect(inbound.status).toBe(201);
    const waId = inbound.body.messageId;
    await eventually(() => m.acc.get(`/conversations/${sessionId}/messages?limit=100`), (r) => r.body.data.some((x: any) => x.waMessageId === waId), 10_000, 'inbound stored');

    const reply = await send({ text: 'Das 9h às 18h', quotedMessageId: waId });
    expect(reply.body.quotedWaMessageId).toBe(waId);
    expect(await m.outboxMessage((await m.waitSent(reply.body.id)).waMessageId)).toMatchObject({ quotedId: waId });

    // Quoting one of ours that is still queued: resolved when the reply is sent.
    const first = await send({ text: 'primeira' });
    const second = await send({ text: 'resposta à primeira', quotedMessageId: first.body.id });
    expect(second.status).toBe(202);
    const firstSent = await m.waitSent(first.body.id);
    expect(await m.outboxMessage((await m.waitSent(second.body.id)).waMessageId)).toMatchObject({ quotedId: firstSent.waMessageId });

    const unknown = await send({ text: 'x', quotedMessageId: 'false_5521900000000@c.us_NOPE' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('QUOTED_MESSAGE_NOT_FOUND');
  });

  it('reacts to a message and removes the reaction', async () => {
    const inbound = await m.acc.post(m.sbx('/inbound'), { from: CUSTOMER, text: 'Obrigado!' });
    const waId = inbound.body.messageId;
    const res = await eventually(() => post('reaction', { messageId: waId, emoji: '❤️' }), (r) => r.status !== 404, 10_000, 'reaction accepted');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'done', emoji: '❤️', message: { waMessageId: waId, reactions: [{ senderId: m.me, emoji: '❤️' }] } });
    const outbox = await m.outbox();
    expect(outbox.filter((e) => e.kind === 'reaction' && e.msgId === waId).map((e) => e.emoji)).toEqual(['❤️']);

    const removed = await post('reaction', { messageId: res.body.message.id, emoji: '' });
    expect(removed.status).toBe(200);
    expect(removed.body.message.reactions ?? []).toEqual([]);
    expect((await m.outbox()).filter((e) => e.kind === 'reaction' && e.msgId === waId).map((e) => e.emoji)).toEqual(['❤️', '']);

    const missing = await post('reaction', { messageId: '64ef5c84f9deb1326965919e', emoji: '👍' });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('MESSAGE_NOT_FOUND');
  });

  it('forwards a message, which WhatsApp marks forwarded', async () => {
    const other = await m.startConversation('5521988882222');
    const original = await send({ text: 'Promoção de hoje' });
    await m.waitSent(original.body.id);
    const res = await m.acc.post('/messages/forward', { sessionId: other.id, messageId: original.body.id });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ isForwarded: true, kind: 'text', chatId: '5521988882222@c.us', body: '*Atendente João*:\nPromoção de hoje' });
    const fwd = await m.waitSent(res.body.id);
    const out = (await m.outbox()).filter((e) => e.kind === 'message' && e.chatId === '5521988882222@c.us');
    expect(out).toEqual([expect.objectContaining({ isForwarded: true, body: '*Atendente João*:\nPromoção de hoje' })]);
    // `sent` already carries the copy's WhatsApp id (so does its message.status webhook), not only a later echo.
    expect(fwd).toMatchObject({ status: 'sent', waMessageId: out[0].id });
  });

  it('deletes our message for everyone: the sandbox sees a revoke', async () => {
    const msg = await send({ text: 'mensagem errada' });
    const sent = await m.waitSent(msg.body.id);
    const res = await m.acc.post('/messages/delete', { messageId: msg.body.id, senderId: m.channel.clientNumber, channelSlug: 'karoochat' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'revoked', message: { id: msg.body.id, revoked: { outcome: 'revoked' } } });
    expect((await m.outbox()).filter((e) => e.msgId === sent.waMessageId)).toEqual([expect.objectContaining({ kind: 'revoke' })]);
  });

  it('reports a delete WhatsApp turned into delete-for-me as such, not as success', async () => {
    const inbound = await m.acc.post(m.sbx('/inbound'), { from: CUSTOMER, text: 'não pode apagar para todos' });
    const waId = inbound.body.messageId;
    const res = await eventually(
      () => m.acc.post('/messages/delete', { messageId: waId, senderId: CUSTOMER, channelSlug: 'karoochat' }),
      (r) => r.status !== 404,
      10_000,
      'delete of a stored inbound message',
    );
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'DELETE_WINDOW_PASSED', details: { outcome: 'deleted_for_me' } });
    expect((await m.outbox()).filter((e) => e.msgId === waId).map((e) => e.kind)).toEqual(['delete_for_me']);
    const stored = await m.acc.get(`/messages/${res.body.details.messageId}`);
    expect(stored.body.revoked).toMatchObject({ outcome: 'deleted_for_me' });
  });

  it('checks who deletes and where', async () => {
    const msg = await send({ text: 'apagar?' });
    await m.waitSent(msg.body.id);
    const wrongSender = await m.acc.post('/messages/delete', { messageId: msg.body.id, senderId: '5521900000000', channelSlug: 'karoochat' });
    expect(wrongSender.status).toBe(422);
    expect(wrongSender.body.code).toBe('SENDER_MISMATCH');
    const wrongSlug = await m.acc.post('/messages/delete', { messageId: msg.body.id, senderId: m.channel.clientNumber, channelSlug: 'other' });
    expect(wrongSlug.status).toBe(404);
    expect(wrongSlug.body.code).toBe('MESSAGE_NOT_FOUND');
    const unknown = await m.acc.post('/messages/delete', { messageId: 'true_5521900000000@c.us_NOPE', senderId: m.channel.clientNumber, channelSlug: 'karoochat' });
    expect(unknown.body.code).toBe('MESSAGE_NOT_FOUND');
  });

  it('moves the stored status with the acks and publishes each change', async () => {
    const msg = await send({ text: 'acks' });
    const sent = await m.waitSent(msg.body.id);
    for (const ack of ['delivered', 'read']) {
      expect((await m.acc.post(m.sbx(`/messages/${encodeURIComponent(sent.waMessageId)}/ack`), { ack })).status).toBe(204);
      await m.waitFor(msg.body.id, (x) => x.status === ack, `status ${ack}`);
    }
    // An older ack never moves it back.
    await m.acc.post(m.sbx(`/messages/${encodeURIComponent(sent.waMessageId)}/ack`), { ack: 'delivered' });
    await new Promise((r) => setTimeout(r, 300));
    const final = (await m.acc.get(`/messages/${msg.body.id}`)).body;
    expect(final.status).toBe('read');
    expect(Object.keys(final.statusTimes).sort()).toEqual(['delivered', 'queued', 'read', 'sent']);
    const mine = statuses.filter((e) => e.payload.messageId === msg.body.id).map((e) => [e.payload.previousStatus, e.payload.status]);
    expect(mine).toEqual([
      ['sending', 'sent'],
      ['sent', 'delivered'],
      ['delivered', 'read'],
    ]);
  });

  it('answers 422 ENGINE_FEATURE_UNSUPPORTED for interactive messages and location requests', async () => {
    const list = await post('interactive', {
      type: 'list',
      body: 'Escolha um plano',
      buttonText: 'Ver planos',
      sections: [{ title: 'Planos', rows: [{ id: 'basic', title: 'Básico' }] }],
    });
    expect(list.status).toBe(422);
    expect(list.body).toMatchObject({ code: 'ENGINE_FEATURE_UNSUPPORTED', details: { feature: 'interactive', engine: 'whatsappweb' } });
    const buttons = await post('interactive', { type: 'button', body: 'Confirma?', buttons: [{ id: 'y', title: 'Sim' }] });
    expect(buttons.body.details.feature).toBe('interactive');
    const request = await post('location-request', { text: 'Onde você está?' });
    expect(request.status).toBe(422);
    expect(request.body).toMatchObject({ code: 'ENGINE_FEATURE_UNSUPPORTED', details: { feature: 'location_request' } });
    const invalid = await post('interactive', { type: 'carousel', body: 'x' });
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
  });

  it('gives each bad input its code', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ text: 'a', mediaUri: media.url('/photo.png') }, 400, 'VALIDATION_FAILED'],
      [{}, 400, 'VALIDATION_FAILED'],
      [{ text: 'a', caption: 'b' }, 400, 'VALIDATION_FAILED'],
      [{ text: 'a', sessionId: 'nope' }, 400, 'VALIDATION_FAILED'],
      [{ text: 'a', sessionId: '64ef5c84f9deb1326965919e' }, 404, 'CONVERSATION_NOT_FOUND'],
      [{ mediaUri: 'not a url' }, 400, 'INVALID_MEDIA_URL'],
      [{ mediaUri: 'ftp://example.com/a.png' }, 400, 'INVALID_MEDIA_URL'],
      [{ mediaUri: 'http://10.1.2.3/a.png' }, 400, 'MEDIA_URL_FORBIDDEN'],
      [{ mediaUri: 'http://169.254.169.254/latest/meta-data' }, 400, 'MEDIA_URL_FORBIDDEN'],
      [{ mediaUri: media.url('/missing.png') }, 422, 'MEDIA_UNREACHABLE'],
      [{ mediaUri: 'http://127.0.0.1:9/a.png' }, 422, 'MEDIA_UNREACHABLE'],
      [{ mediaUri: media.url('/slow') }, 422, 'MEDIA_UNREACHABLE'],
      [{ mediaUri: media.url('/empty') }, 422, 'MEDIA_EMPTY'],
      [{ mediaUri: media.url('/big.bin') }, 413, 'MEDIA_TOO_LARGE'],
    ];
    for (const [body, status, code] of cases) {
      const res = await send(body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status, code });
    }
    expect((await m.acc.post('/messages/send', { sessionId, text: 'sem agente' })).body.code).toBe('VALIDATION_FAILED');
    const both = await post('location', { latitude: 1, longitude: 2, channelId: m.channel.id });
    expect(both.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'channelId' }] });
    expect((await m.acc.post('/messages/location', { latitude: 1, longitude: 2 })).body.code).toBe('VALIDATION_FAILED');
    expect((await post('location', { latitude: 91, longitude: 2 })).body.code).toBe('VALIDATION_FAILED');
    expect((await m.acc.get('/messages/64ef5c84f9deb1326965919e')).body.code).toBe('MESSAGE_NOT_FOUND');
  });

  it('refuses sends to an ended conversation and to a channel that is not READY, with its state', async () => {
    const conv = await m.startConversation('5521988883333');
    await m.acc.post(`/conversations/${conv.id}/end`);
    const ended = await m.acc.post('/messages/send', { agentName: 'A', sessionId: conv.id, text: 'oi' });
    expect(ended.status).toBe(422);
    expect(ended.body.code).toBe('CONVERSATION_ENDED');

    const offline = await m.acc.post('/channels/setup/whatsappweb', {
      provider: { clientNumber: '5521977770000', companyId: 'co' },
      startingPlatform: 'karoochat',
      platforms: [{ slug: 'karoochat', callbackUrl: 'http://127.0.0.1:9/hook' }],
    });
    const conv2 = await m.acc.post('/conversations/start/whatsappweb', {
      platformConfigId: offline.body.platformConfigId,
      channelId: offline.body.id,
      clientProviderId: CUSTOMER,
      companyName: 'Loja',
    });
    const notReady = await m.acc.post('/messages/send', { agentName: 'A', sessionId: conv2.body.id, text: 'oi' });
    expect(notReady.status).toBe(422);
    expect(notReady.body).toMatchObject({ code: 'CHANNEL_NOT_READY', details: { state: 'STOPPED' } });
  });

  it('keeps the history of the conversation and of the contact, both directions, paginated', async () => {
    const page = await m.acc.get(`/conversations/${sessionId}/messages?limit=5`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ page: 1, limit: 5 });
    expect(page.body.data).toHaveLength(5);
    expect(page.body.total).toBeGreaterThan(20);
    const all = await m.acc.get(`/conversations/${sessionId}/messages?limit=100&order=asc`);
    const directions = new Set(all.body.data.map((x: any) => x.direction));
    expect(directions).toEqual(new Set(['inbound', 'outbound']));
    const times = all.body.data.map((x: any) => Date.parse(x.timestamp));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(all.body.data.every((x: any) => x.chatId === CHAT)).toBe(true);

    const byContact = await m.acc.get(`/contacts/${contactId}/messages?limit=100`);
    expect(byContact.status).toBe(200);
    expect(byContact.body.total).toBe(all.body.total);
    expect((await m.acc.get('/contacts/64ef5c84f9deb1326965919e/messages')).body.code).toBe('CONTACT_NOT_FOUND');
    expect((await m.acc.get('/conversations/64ef5c84f9deb1326965919e/messages')).body.code).toBe('CONVERSATION_NOT_FOUND');
  });
});
