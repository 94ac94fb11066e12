import { buildInbound, type InboundRequest } from '../../cloud-sandbox/inbound-builder';
import { CloudSandboxState, type NumberState, type OutboxEntry } from '../../cloud-sandbox/cloud-sandbox-state';
import { envelope, statusValue } from '../../cloud-sandbox/webhook-emitter';
import { buildVcard } from '../../messages/content/vcard';
import type { EngineMessage, InboundEngineEvent } from '../../whatsapp/engine/messaging-engine.port';
import { CloudWebhookShapeError, mapCloudWebhook } from './cloud-webhook.mapper';

// Payloads come from the offline Cloud API fake, which writes Meta's documented format; literal JSON
// is used only where the fake has no builder (groups, forwarded context, errors, other fields).
const NOW = 1_700_000_000_000;
const TS = 1_700_000_000;
const PNID = '106540352242922';
const CUSTOMER = '5521999999999';
const CHAT = `${CUSTOMER}@c.us`;

let state: CloudSandboxState;
let number: NumberState;

beforeEach(() => {
  state = new CloudSandboxState(() => NOW);
  number = state.addNumber({ phoneNumberId: PNID, wabaId: '102290129340398', displayPhoneNumber: '15550001111', flavour: 'meta' });
});

/** What the fake's control API posts for a customer message: contacts[] plus messages[]. */
function inbound(req: Omit<InboundRequest, 'from'> & { from?: string }): { body: Record<string, unknown>; message: Record<string, any> } {
  const from = req.from ?? CUSTOMER;
  const message = buildInbound(state, number, { ...req, from } as InboundRequest) as Record<string, any>;
  const contacts = [{ profile: { name: req.name ?? from }, wa_id: from }];
  return { body: envelope(number, { contacts, messages: [message] }), message };
}

function only(body: unknown, me?: string): InboundEngineEvent {
  const batches = mapCloudWebhook(body, me);
  expect(batches).toHaveLength(1);
  expect(batches[0].events).toHaveLength(1);
  return batches[0].events[0];
}

function onlyMessage(body: unknown, me?: string): EngineMessage {
  const event = only(body, me);
  if (event.type !== 'message') throw new Error(`expected a message event, got ${event.type}`);
  return event.message;
}

function outbox(status: OutboxEntry['status'] = 'accepted', error?: OutboxEntry['error']): OutboxEntry {
  return { id: 'wamid.OUT1', to: CUSTOMER, type: 'text', request: {}, acceptedAt: new Date(NOW).toISOString(), status, pricingCategory: 'service', ...(error ? { error } : {}) };
}

const rawValue = (value: Record<string, unknown>) => envelope(number, value);

describe('mapCloudWebhook: messages', () => {
  it('maps a text message with the sender profile name and the batch metadata', () => {
    const { body, message } = inbound({ name: 'Ana', type: 'text', payload: { body: 'Olá!' } });
    expect(mapCloudWebhook(body)).toEqual([
      {
        phoneNumberId: PNID,
        displayPhoneNumber: '15550001111',
        errors: [],
        events: [
          {
            type: 'message',
            message: { id: message.id, chatId: CHAT, senderId: CHAT, senderName: 'Ana', isGroup: false, fromMe: false, timestamp: TS, kind: 'text', body: 'Olá!' },
          },
        ],
      },
    ]);
    expect(message.id).toMatch(/^wamid\./);
  });

  it('maps an image stored by the fake: media id as providerRef, sha256, mime type and caption', () => {
    const { body, message } = inbound({ type: 'image', payload: { data: Buffer.from('89504e47', 'hex').toString('base64'), mime_type: 'image/png', caption: 'pic' } });
    const m = onlyMessage(body);
    expect(m.kind).toBe('image');
    expect(m.caption).toBe('pic');
    expect(m.body).toBeUndefined();
    expect(m.media).toEqual({ mimetype: 'image/png', sha256: message.image.sha256, providerRef: message.image.id });
    expect(m.media?.providerRef).toMatch(/^\d{16}$/);
    expect(m.media?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('maps video, document (filename) and sticker by media id', () => {
    const video = onlyMessage(inbound({ type: 'video', payload: { id: '1111', mime_type: 'video/mp4', sha256: 'v-sha', caption: 'clip' } }).body);
    expect(video).toMatchObject({ kind: 'video', caption: 'clip', media: { mimetype: 'video/mp4', sha256: 'v-sha', providerRef: '1111' } });
    expect(video.media).not.toHaveProperty('voice');

    const doc = onlyMessage(inbound({ type: 'document', payload: { id: '2222', mime_type: 'application/pdf', sha256: 'd-sha', filename: 'boleto.pdf' } }).body);
    expect(doc.kind).toBe('document');
    expect(doc.caption).toBeUndefined();
    expect(doc.media).toEqual({ mimetype: 'application/pdf', filename: 'boleto.pdf', sha256: 'd-sha', providerRef: '2222' });

    const sticker = onlyMessage(inbound({ type: 'sticker', payload: { id: '3333', mime_type: 'image/webp', sha256: 's-sha', animated: false } }).body);
    expect(sticker).toMatchObject({ kind: 'sticker', media: { mimetype: 'image/webp', providerRef: '3333' } });
  });

  it('marks voice notes: audio.voice true → voice true, absent → voice false', () => {
    const voice = onlyMessage(inbound({ type: 'audio', payload: { id: '4444', mime_type: 'audio/ogg; codecs=opus', sha256: 'a', voice: true } }).body);
    expect(voice.kind).toBe('audio');
    expect(voice.media).toEqual({ mimetype: 'audio/ogg; codecs=opus', sha256: 'a', providerRef: '4444', voice: true });
    const file = onlyMessage(inbound({ type: 'audio', payload: { id: '5555', mime_type: 'audio/mpeg' } }).body);
    expect(file.media).toEqual({ mimetype: 'audio/mpeg', providerRef: '5555', voice: false });
  });

  it('maps a location with name and address', () => {
    const m = onlyMessage(inbound({ type: 'location', payload: { latitude: -22.9068, longitude: -43.1729, name: 'Cristo', address: 'Parque Nacional da Tijuca' } }).body);
    expect(m.kind).toBe('location');
    expect(m.location).toEqual({ latitude: -22.9068, longitude: -43.1729, name: 'Cristo', address: 'Parque Nacional da Tijuca' });
    expect(m.body).toBeUndefined();
    const bare = onlyMessage(inbound({ type: 'location', payload: { latitude: 1.5, longitude: 2 } }).body);
    expect(bare.location).toEqual({ latitude: 1.5, longitude: 2 });
  });

  it('writes a shared card with only a name and a WhatsApp phone exactly like buildVcard', () => {
    const payload = [{ name: { formatted_name: 'Bruno' }, phones: [{ phone: '+5521988887777', wa_id: '5521988887777', type: 'CELL' }] }];
    const m = onlyMessage(inbound({ type: 'contacts', payload }).body);
    expect(m.kind).toBe('contacts');
    expect(m.vcards).toEqual([buildVcard({ name: 'Bruno', phone: '5521988887777' })]);
  });

  it('writes every field of Meta’s contact object as vCard 3.0, escaped, one card per contact', () => {
    const full = {
      addresses: [{ street: '1 Hacker Way', city: 'Menlo Park', state: 'CA', zip: '94025', country: 'United States', country_code: 'us', type: 'WORK' }],
      birthday: '2012-08-18',
      emails: [{ email: 'ana@example.com', type: 'WORK' }],
      name: { formatted_name: 'Dr. Ana Souza, Jr.', first_name: 'Ana', last_name: 'Souza', middle_name: 'M', prefix: 'Dr.', suffix: 'Jr.' },
      org: { company: 'Acme; Inc', department: 'Sales', title: 'Manager' },
      phones: [
        { phone: '+1 (940) 555-1234', wa_id: '19405551234', type: 'WORK' },
        { phone: '+1 (650) 555-1234', type: 'HOME' },
      ],
      urls: [{ url: 'https://www.example.com', type: 'WORK' }],
    };
    const m = onlyMessage(inbound({ type: 'contacts', payload: [full, { name: { formatted_name: 'Caio', first_name: 'Caio' } }] }).body);
    expect(m.vcards).toEqual([
      [
        'BEGIN:VCARD',
        'VERSION:3.0',
        'N:Souza;Ana;M;Dr.;Jr.',
        'FN:Dr. Ana Souza\\, Jr.',
        'ORG:Acme\\; Inc;Sales',
        'TITLE:Manager',
        'EMAIL;type=INTERNET;type=WORK:ana@example.com',
        'TEL;type=WORK;type=VOICE;waid=19405551234:+1 (940) 555-1234',
        'TEL;type=HOME:+1 (650) 555-1234',
        'ADR;type=WORK:;;1 Hacker Way;Menlo Park;CA;94025;United States',
        'URL;type=WORK:https://www.example.com',
        'BDAY:2012-08-18',
        'END:VCARD',
      ].join('\n'),
      ['BEGIN:VCARD', 'VERSION:3.0', 'N:;Caio;;;', 'FN:Caio', 'END:VCARD'].join('\n'),
    ]);
  });

  it('maps a reaction to a reaction event on the reacted message, and a removed one to emoji ""', () => {
    const { body } = inbound({ type: 'reaction', payload: { message_id: 'wamid.OURS', emoji: '👍' } });
    expect(only(body)).toEqual({ type: 'reaction', messageId: 'wamid.OURS', chatId: CHAT, senderId: CHAT, emoji: '👍', timestamp: TS });
    const removedEmpty = only(inbound({ type: 'reaction', payload: { message_id: 'wamid.OURS', emoji: '' } }).body);
    expect(removedEmpty).toMatchObject({ type: 'reaction', messageId: 'wamid.OURS', emoji: '' });
    const removedMissing = only(inbound({ type: 'reaction', payload: { message_id: 'wamid.OURS' } }).body);
    expect(removedMissing).toMatchObject({ type: 'reaction', messageId: 'wamid.OURS', emoji: '' });
  });

  it('maps a button_reply to text with interactiveReply, and context.id to quotedMessageId', () => {
    const { body } = inbound({ type: 'interactive', context: { id: 'wamid.ASKED' }, payload: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } } });
    const m = onlyMessage(body);
    expect(m).toMatchObject({ kind: 'text', body: 'Yes', quotedMessageId: 'wamid.ASKED', interactiveReply: { type: 'button_reply', id: 'yes', title: 'Yes' } });
    expect(m.interactiveReply).not.toHaveProperty('description');
    expect(m.isForwarded).toBeUndefined();
  });

  it('maps a list_reply with its description', () => {
    const payload = { type: 'list_reply', list_reply: { id: 'row-2', title: 'Boleto', description: 'Segunda via' } };
    const m = onlyMessage(inbound({ type: 'interactive', payload }).body);
    expect(m.kind).toBe('text');
    expect(m.body).toBe('Boleto');
    expect(m.interactiveReply).toEqual({ type: 'list_reply', id: 'row-2', title: 'Boleto', description: 'Segunda via' });
  });

  it('maps a template quick reply (type button) like a button_reply', () => {
    const m = onlyMessage(inbound({ type: 'button', context: { id: 'wamid.TPL' }, payload: { payload: 'STOP_PROMOS', text: 'Parar promoções' } }).body);
    expect(m).toMatchObject({ kind: 'text', body: 'Parar promoções', quotedMessageId: 'wamid.TPL' });
    expect(m.interactiveReply).toEqual({ type: 'button_reply', id: 'STOP_PROMOS', title: 'Parar promoções' });
  });

  it('maps unsupported and unknown types to kind other with a description', () => {
    const { body, message } = inbound({ type: 'unsupported', payload: {} });
    const m = onlyMessage(body);
    expect(m).toMatchObject({ id: message.id, kind: 'other', chatId: CHAT, timestamp: TS });
    expect(m.body).toBe('[unsupported WhatsApp message (unsupported): Message type is currently not supported.]');
    expect(m.media).toBeUndefined();

    const order = rawValue({ messages: [{ from: CUSTOMER, id: 'wamid.ORD', timestamp: '1700000001', type: 'order', order: { catalog_id: '1', product_items: [] } }] });
    expect(onlyMessage(order)).toMatchObject({ kind: 'other', body: '[unsupported WhatsApp message (order)]', timestamp: 1700000001 });

    const flow = inbound({ type: 'interactive', payload: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: '{}' } } }).body;
    expect(onlyMessage(flow)).toMatchObject({ kind: 'other', body: '[unsupported WhatsApp message (interactive: nfm_reply)]' });
    expect(onlyMessage(flow).interactiveReply).toBeUndefined();
  });

  it('flags forwarded and frequently forwarded messages', () => {
    const msg = (id: string, context: Record<string, unknown>) => ({ from: CUSTOMER, id, timestamp: '1700000000', type: 'text', text: { body: 'fw' }, context });
    const [fw, often] = mapCloudWebhook(rawValue({ messages: [msg('wamid.F1', { forwarded: true }), msg('wamid.F2', { frequently_forwarded: true })] }))[0].events;
    expect(fw).toMatchObject({ type: 'message', message: { id: 'wamid.F1', isForwarded: true } });
    expect(often).toMatchObject({ type: 'message', message: { id: 'wamid.F2', isForwarded: true } });
    expect((fw as { message: EngineMessage }).message.quotedMessageId).toBeUndefined();
  });

  it('uses the group id as the chat when the message names one', () => {
    const value = { contacts: [{ profile: { name: 'Ana' }, wa_id: CUSTOMER }], messages: [{ from: CUSTOMER, group_id: 'Y2FwaV9ncm91cA', id: 'wamid.G', timestamp: '1700000000', type: 'text', text: { body: 'oi grupo' } }] };
    expect(onlyMessage(rawValue(value))).toMatchObject({ chatId: 'Y2FwaV9ncm91cA@g.us', senderId: CHAT, senderName: 'Ana', isGroup: true, body: 'oi grupo' });
  });

  it('flags fromMe only for a sender equal to `me` (chat id or digits)', () => {
    const { body } = inbound({ from: '15550001111', name: 'Biz', type: 'text', payload: { body: 'echo' } });
    const mine = onlyMessage(body, '15550001111@c.us');
    expect(mine.fromMe).toBe(true);
    expect(mine.senderName).toBeUndefined();
    expect(onlyMessage(body, '15550001111').fromMe).toBe(true);
    expect(onlyMessage(inbound({ type: 'text', payload: { body: 'hi' } }).body, '15550001111@c.us').fromMe).toBe(false);
  });
});

describe('mapCloudWebhook: statuses', () => {
  it('maps sent and delivered with pricing (billable from Meta)', () => {
    const sent = only(envelope(number, statusValue(outbox(), 'sent', NOW)));
    expect(sent).toEqual({ type: 'ack', messageId: 'wamid.OUT1', chatId: CHAT, ack: 'sent', pricing: { category: 'service', billable: false } });
    const entry = { ...outbox(), pricingCategory: 'marketing' };
    expect(only(envelope(number, statusValue(entry, 'delivered', NOW)))).toEqual({ type: 'ack', messageId: 'wamid.OUT1', chatId: CHAT, ack: 'delivered', pricing: { category: 'marketing', billable: true } });
  });

  it('maps read without pricing', () => {
    expect(only(envelope(number, statusValue(outbox(), 'read', NOW)))).toEqual({ type: 'ack', messageId: 'wamid.OUT1', chatId: CHAT, ack: 'read' });
  });

  it('maps failed with the first error’s code, title and details', () => {
    const ack = only(envelope(number, statusValue(outbox('failed', { code: 131047, details: 'More than 24 hours have passed' }), 'failed', NOW)));
    expect(ack).toEqual({
      type: 'ack',
      messageId: 'wamid.OUT1',
      chatId: CHAT,
      ack: 'failed',
      error: { code: 131047, title: 'Re-engagement message', details: 'More than 24 hours have passed' },
    });
  });

  it('skips statuses with other names and keeps pricing without billable', () => {
    const value = {
      statuses: [
        { id: 'wamid.D', status: 'deleted', timestamp: '1700000000', recipient_id: CUSTOMER },
        { id: 'wamid.W', status: 'warning', timestamp: '1700000000', recipient_id: CUSTOMER },
        { id: 'wamid.S', status: 'sent', timestamp: '1700000000', recipient_id: CUSTOMER, pricing: { pricing_model: 'PMP', category: 'utility', type: 'regular' } },
      ],
    };
    expect(mapCloudWebhook(rawValue(value))[0].events).toEqual([{ type: 'ack', messageId: 'wamid.S', chatId: CHAT, ack: 'sent', pricing: { category: 'utility' } }]);
  });
});

describe('mapCloudWebhook: batches and order', () => {
  const text = (id: string) => ({ from: CUSTOMER, id, timestamp: '1700000000', type: 'text', text: { body: id } });
  const status = (id: string) => ({ id, status: 'delivered', timestamp: '1700000000', recipient_id: CUSTOMER });
  const ids = (events: InboundEngineEvent[]) => events.map((e) => (e.type === 'message' ? e.message.id : e.type === 'ack' ? e.messageId : e.type));

  it('keeps statuses and messages in the order the payload has them', () => {
    expect(ids(mapCloudWebhook(rawValue({ statuses: [status('s1'), status('s2')], messages: [text('m1'), text('m2')] }))[0].events)).toEqual(['s1', 's2', 'm1', 'm2']);
    expect(ids(mapCloudWebhook(rawValue({ messages: [text('m1')], statuses: [status('s1')] }))[0].events)).toEqual(['m1', 's1']);
  });

  it('returns one batch per messages change across entries, ignoring other fields', () => {
    const other = { value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550009999', phone_number_id: '999' }, messages: [text('x')] }, field: 'smb_message_echoes' };
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        { id: 'W1', changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED' } }, (envelope(number, { messages: [text('a')] }) as any).entry[0].changes[0]] },
        { id: 'W2', changes: [other, { field: 'messages', value: { metadata: { display_phone_number: '15550002222', phone_number_id: '222' }, statuses: [status('b')] } }] },
      ],
    };
    const batches = mapCloudWebhook(body);
    expect(batches.map((b) => [b.phoneNumberId, b.displayPhoneNumber, ids(b.events)])).toEqual([
      [PNID, '15550001111', ['a']],
      ['222', '15550002222', ['b']],
    ]);
  });

  it('reports value.errors as the batch errors', () => {
    const value = { errors: [{ code: 131000, title: 'Something went wrong', message: 'Something went wrong', error_data: { details: 'Unknown error' } }, { code: 368, title: 'Temporarily blocked' }] };
    const [batch] = mapCloudWebhook(rawValue(value));
    expect(batch.events).toEqual([]);
    expect(batch.errors).toEqual([
      { code: 131000, title: 'Something went wrong', details: 'Unknown error' },
      { code: 368, title: 'Temporarily blocked' },
    ]);
  });

  it('tolerates missing arrays, metadata and malformed items', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [{ id: 'W' }, 'junk', { changes: [{ field: 'messages' }, { field: 'messages', value: { messages: [null, { type: 'text' }, text('ok')], statuses: 'nope' } }] }],
    };
    expect(mapCloudWebhook(body)).toEqual([{ phoneNumberId: '', events: [expect.objectContaining({ type: 'message' })], errors: [] }]);
    expect(mapCloudWebhook({ object: 'whatsapp_business_account', entry: [] })).toEqual([]);
  });

  it.each([
    ['null', null],
    ['a string', 'whatsapp_business_account'],
    ['an array', [{ object: 'whatsapp_business_account', entry: [] }]],
    ['another object type', { object: 'page', entry: [] }],
    ['no entry', { object: 'whatsapp_business_account' }],
    ['entry not an array', { object: 'whatsapp_business_account', entry: {} }],
  ])('throws CloudWebhookShapeError for %s', (_label, body) => {
    expect(() => mapCloudWebhook(body)).toThrow(CloudWebhookShapeError);
  });
});
