import { validateMessageRequest } from '../../cloud-sandbox/message-validator';
import { buildVcard } from '../../messages/content/vcard';
import type { OutboundContent } from '../../whatsapp/engine/messaging-engine.port';
import { buildCloudMessage, buildMarkRead, buildReaction, cloudMediaType, CloudUnsupportedError } from './cloud-message.builder';

const PERSON = '5521999999999@c.us';
const media = (mimetype: string, filename?: string) => ({ mimetype, dataBase64: 'AAAA', ...(filename ? { filename } : {}) });

/** Builds, then makes the offline Cloud API fake validate the body exactly as Meta documents it. */
function build(content: OutboundContent, opts: { replyTo?: string; mediaId?: string } = {}, chatId = PERSON) {
  const body = buildCloudMessage(chatId, content, opts);
  const validated = validateMessageRequest(body);
  expect(validated.kind).toBe('send');
  return body as Record<string, any>;
}

describe('buildCloudMessage: envelope', () => {
  it('addresses a person by the digits of the chat id', () => {
    const body = build({ kind: 'text', text: 'oi' });
    expect(body.messaging_product).toBe('whatsapp');
    expect(body.recipient_type).toBe('individual');
    expect(body.to).toBe('5521999999999');
    expect(body.type).toBe('text');
    expect(body.context).toBeUndefined();
  });

  it('addresses a group with recipient_type group and the group id', () => {
    const body = build({ kind: 'text', text: 'oi' }, {}, '120363012345678901@g.us');
    expect(body.recipient_type).toBe('group');
    expect(body.to).toBe('120363012345678901');
  });

  it('adds the reply context when replying', () => {
    const body = build({ kind: 'text', text: 'oi' }, { replyTo: 'wamid.HBgM123' });
    expect(body.context).toEqual({ message_id: 'wamid.HBgM123' });
  });

  it('refuses @lid recipients, which the Cloud API cannot address', () => {
    let thrown: unknown;
    try {
      buildCloudMessage('12345@lid', { kind: 'text', text: 'x' }, {});
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CloudUnsupportedError);
    expect((thrown as CloudUnsupportedError).feature).toBe('recipient lid');
  });

  it('refuses a chat id without digits', () => {
    expect(() => buildCloudMessage('@c.us', { kind: 'text', text: 'x' }, {})).toThrow(/invalid chat id/);
  });
});

describe('buildCloudMessage: text', () => {
  it('sends the body without preview_url by default', () => {
    const body = build({ kind: 'text', text: 'Olá https://example.com' });
    expect(body.text).toEqual({ body: 'Olá https://example.com' });
  });

  it('sets preview_url when asked', () => {
    const body = build({ kind: 'text', text: 'https://example.com', previewUrl: true });
    expect(body.text.preview_url).toBe(true);
  });
});

describe('buildCloudMessage: media', () => {
  it('sends a JPEG as image with its caption and the uploaded media id', () => {
    const body = build({ kind: 'media', media: media('image/jpeg'), caption: 'foto' }, { mediaId: 'm1' });
    expect(body.type).toBe('image');
    expect(body.image).toEqual({ id: 'm1', caption: 'foto' });
  });

  it('sends MP4 as video with caption', () => {
    const body = build({ kind: 'media', media: media('video/mp4'), caption: 'v' }, { mediaId: 'm2' });
    expect(body.type).toBe('video');
    expect(body.video).toEqual({ id: 'm2', caption: 'v' });
  });

  it('sends audio without caption, voice notes as plain audio', () => {
    const body = build(
      { kind: 'media', media: media('audio/ogg; codecs=opus'), caption: 'ignored', asVoice: true },
      { mediaId: 'm3' },
    );
    expect(body.type).toBe('audio');
    expect(body.audio).toEqual({ id: 'm3' });
  });

  it('sends a PDF as document with filename and caption', () => {
    const body = build({ kind: 'media', media: media('application/pdf', 'boleto.pdf'), caption: 'seu boleto' }, { mediaId: 'm4' });
    expect(body.type).toBe('document');
    expect(body.document).toEqual({ id: 'm4', caption: 'seu boleto', filename: 'boleto.pdf' });
  });

  it('forces a document with asDocument, even for an image', () => {
    const body = build({ kind: 'media', media: media('image/png', 'print.png'), asDocument: true }, { mediaId: 'm5' });
    expect(body.type).toBe('document');
    expect(body.document.filename).toBe('print.png');
  });

  it('shortens a file name over Meta’s 240 characters, keeping the extension', () => {
    const long = `${'a'.repeat(300)}.pdf`;
    const body = build({ kind: 'media', media: media('application/pdf', long) }, { mediaId: 'm6' });
    expect([...body.document.filename].length).toBe(240);
    expect(body.document.filename.endsWith('.pdf')).toBe(true);
  });

  it('omits an empty caption, which Meta rejects', () => {
    const body = build({ kind: 'media', media: media('image/jpeg'), caption: '' }, { mediaId: 'm7' });
    expect(body.image).toEqual({ id: 'm7' });
  });

  it('throws when the media was not uploaded first', () => {
    expect(() => buildCloudMessage(PERSON, { kind: 'media', media: media('image/jpeg') }, {})).toThrow(/mediaId/);
    expect(() => buildCloudMessage(PERSON, { kind: 'sticker', media: media('image/webp') }, {})).toThrow(/mediaId/);
  });
});

describe('cloudMediaType', () => {
  it.each([
    ['image/jpeg', 'image'],
    ['image/png', 'image'],
    ['image/webp', 'document'],
    ['image/gif', 'document'],
    ['video/mp4', 'video'],
    ['video/3gpp', 'video'],
    ['video/webm', 'document'],
    ['audio/mpeg', 'audio'],
    ['audio/ogg; codecs=opus', 'audio'],
    ['audio/aac', 'audio'],
    ['audio/wav', 'document'],
    ['application/zip', 'document'],
    ['IMAGE/JPEG', 'image'],
  ])('%s → %s', (mimetype, type) => {
    expect(cloudMediaType(mimetype)).toBe(type);
  });

  it('asDocument wins', () => {
    expect(cloudMediaType('video/mp4', true)).toBe('document');
  });
});

describe('buildCloudMessage: sticker', () => {
  it('sends the uploaded sticker id only', () => {
    const body = build({ kind: 'sticker', media: media('image/webp') }, { mediaId: 's1' });
    expect(body.type).toBe('sticker');
    expect(body.sticker).toEqual({ id: 's1' });
  });
});

describe('buildCloudMessage: contacts', () => {
  it('reads the vCards this server writes', () => {
    const vcard = buildVcard({ name: 'Maria, da Silva', phone: '+55 21 99999-9999', organization: 'ACME', email: 'maria@example.com' });
    const body = build({ kind: 'contacts', vcards: [vcard] });
    expect(body.type).toBe('contacts');
    expect(body.contacts).toHaveLength(1);
    const [c] = body.contacts;
    expect(c.name.formatted_name).toBe('Maria, da Silva');
    expect(c.name.first_name).toBe('Maria, da Silva');
    expect(c.phones).toEqual([{ phone: '+5521999999999', wa_id: '5521999999999', type: 'CELL' }]);
    expect(c.emails).toEqual([{ email: 'maria@example.com' }]);
    expect(c.org).toEqual({ company: 'ACME' });
  });

  it('reads several cards, folded lines, item groups and vCard 2.1 parameters', () => {
    const ios = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'N:Souza;João;Carlos;Dr.;',
      'FN:Dr. João Carlos',
      '  Souza',
      'ORG:Cirrus;Vendas',
      'TITLE:Gerente',
      'item1.TEL;type=pref;type=WORK:+55 11 3333-4444',
      'item2.EMAIL;TYPE=INTERNET,WORK:joao@example.com',
      'URL:https://example.com',
      'BDAY:1980-05-17',
      'END:VCARD',
    ].join('\r\n');
    const old = 'BEGIN:VCARD\nVERSION:2.1\nN:;Ana\nTEL;HOME:+5511988887777\nEND:VCARD';
    const body = build({ kind: 'contacts', vcards: [ios, old] });
    const [joao, ana] = body.contacts;
    expect(joao.name).toEqual({ formatted_name: 'Dr. João Carlos Souza', first_name: 'João', last_name: 'Souza', middle_name: 'Carlos', prefix: 'Dr.' });
    expect(joao.phones).toEqual([{ phone: '+55 11 3333-4444', type: 'WORK' }]);
    expect(joao.emails).toEqual([{ email: 'joao@example.com', type: 'WORK' }]);
    expect(joao.org).toEqual({ company: 'Cirrus', department: 'Vendas', title: 'Gerente' });
    expect(joao.urls).toEqual([{ url: 'https://example.com' }]);
    expect(joao.birthday).toBe('1980-05-17');
    expect(ana.name).toEqual({ formatted_name: 'Ana', first_name: 'Ana' });
    expect(ana.phones).toEqual([{ phone: '+5511988887777', type: 'HOME' }]);
  });

  it('names a card without a name by its phone, and drops a birthday Meta cannot read', () => {
    const body = build({ kind: 'contacts', vcards: ['BEGIN:VCARD\nTEL:+5521988887777\nBDAY:17/05/1980\nEND:VCARD'] });
    expect(body.contacts[0].name).toEqual({ formatted_name: '+5521988887777' });
    expect(body.contacts[0].birthday).toBeUndefined();
  });

  it('keeps two cards written in one string apart', () => {
    const two = buildVcard({ name: 'A', phone: '551' }) + '\n' + buildVcard({ name: 'B', phone: '552' });
    const body = build({ kind: 'contacts', vcards: [two] });
    expect(body.contacts.map((c: any) => c.name.formatted_name)).toEqual(['A', 'B']);
  });

  it('throws on an empty list', () => {
    expect(() => buildCloudMessage(PERSON, { kind: 'contacts', vcards: [] }, {})).toThrow(/vCard/);
  });
});

describe('buildCloudMessage: location', () => {
  it('sends coordinates, name and address and drops url', () => {
    const body = build({ kind: 'location', latitude: -22.97, longitude: -43.18, name: 'Praia', address: 'Av. Atlântica', url: 'https://maps' });
    expect(body.type).toBe('location');
    expect(body.location).toEqual({ latitude: -22.97, longitude: -43.18, name: 'Praia', address: 'Av. Atlântica' });
  });

  it('sends bare coordinates', () => {
    const body = build({ kind: 'location', latitude: 0, longitude: 0 });
    expect(body.location).toEqual({ latitude: 0, longitude: 0 });
  });
});

describe('buildCloudMessage: interactive', () => {
  it('builds reply buttons with header and footer', () => {
    const body = build({
      kind: 'interactive',
      interactive: { type: 'button', header: 'Atendimento', body: 'Confirma?', footer: 'Cirrus', buttons: [{ id: 'yes', title: 'Sim' }, { id: 'no', title: 'Não' }] },
    });
    expect(body.type).toBe('interactive');
    const i = body.interactive;
    expect(i.type).toBe('button');
    expect(i.header).toEqual({ type: 'text', text: 'Atendimento' });
    expect(i.body).toEqual({ text: 'Confirma?' });
    expect(i.footer).toEqual({ text: 'Cirrus' });
    expect(i.action).toEqual({
      buttons: [
        { type: 'reply', reply: { id: 'yes', title: 'Sim' } },
        { type: 'reply', reply: { id: 'no', title: 'Não' } },
      ],
    });
  });

  it('builds a list without header or footer when none is given', () => {
    const body = build({
      kind: 'interactive',
      interactive: {
        type: 'list',
        body: 'Escolha',
        buttonText: 'Ver planos',
        sections: [{ title: 'Planos', rows: [{ id: 'p1', title: 'Básico', description: 'R$ 10' }, { id: 'p2', title: 'Pro' }] }, { rows: [{ id: 'x', title: 'Outro' }] }],
      },
    });
    const i = body.interactive;
    expect(i.type).toBe('list');
    expect(i.header).toBeUndefined();
    expect(i.footer).toBeUndefined();
    expect(i.body).toEqual({ text: 'Escolha' });
    expect(i.action.button).toBe('Ver planos');
    expect(i.action.sections).toEqual([
      { title: 'Planos', rows: [{ id: 'p1', title: 'Básico', description: 'R$ 10' }, { id: 'p2', title: 'Pro' }] },
      { rows: [{ id: 'x', title: 'Outro' }] },
    ]);
  });

  it('builds a call-to-action URL button', () => {
    const body = build({ kind: 'interactive', interactive: { type: 'cta_url', header: 'Pedido', body: 'Acompanhe', displayText: 'Abrir', url: 'https://example.com/p/1' } });
    const i = body.interactive;
    expect(i.type).toBe('cta_url');
    expect(i.header).toEqual({ type: 'text', text: 'Pedido' });
    expect(i.action).toEqual({ name: 'cta_url', parameters: { display_text: 'Abrir', url: 'https://example.com/p/1' } });
  });

  it('builds a location request, which has no header or footer', () => {
    const body = build({ kind: 'interactive', interactive: { type: 'location_request', header: 'h', body: 'Onde você está?', footer: 'f' } });
    expect(body.interactive).toEqual({ type: 'location_request_message', body: { text: 'Onde você está?' }, action: { name: 'send_location' } });
  });

  it('throws when a type lacks what it needs', () => {
    const send = (interactive: any) => () => buildCloudMessage(PERSON, { kind: 'interactive', interactive }, {});
    expect(send({ type: 'button', body: 'b', buttons: [] })).toThrow(/buttons/);
    expect(send({ type: 'list', body: 'b', sections: [{ rows: [{ id: '1', title: 't' }] }] })).toThrow(/buttonText/);
    expect(send({ type: 'cta_url', body: 'b', url: 'https://x' })).toThrow(/displayText/);
    expect(send({ type: 'carousel', body: 'b' })).toThrow(CloudUnsupportedError);
  });
});

describe('buildCloudMessage: template', () => {
  it('sends name, language code and the components as given', () => {
    const components = [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] }];
    const body = build({ kind: 'template', template: { name: 'pedido_enviado', language: 'pt_BR', components } });
    expect(body.type).toBe('template');
    expect(body.template.name).toBe('pedido_enviado');
    expect(body.template.language).toEqual({ code: 'pt_BR' });
    expect(body.template.components).toEqual(components);
  });

  it('omits components when there are none', () => {
    const body = build({ kind: 'template', template: { name: 'hello_world', language: 'en_US' } });
    expect('components' in body.template).toBe(false);
  });
});

describe('buildReaction and buildMarkRead', () => {
  it('reacts to a message', () => {
    const body = buildReaction(PERSON, 'wamid.1', '👍');
    expect(validateMessageRequest(body).kind).toBe('send');
    expect(body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '5521999999999', type: 'reaction', reaction: { message_id: 'wamid.1', emoji: '👍' } });
  });

  it('removes a reaction with an empty emoji', () => {
    const body = buildReaction(PERSON, 'wamid.1', '') as any;
    expect(validateMessageRequest(body).kind).toBe('send');
    expect(body.reaction.emoji).toBe('');
  });

  it('marks a message read, optionally with a typing indicator', () => {
    const plain = buildMarkRead('wamid.2');
    expect(validateMessageRequest(plain)).toEqual({ kind: 'read', messageId: 'wamid.2', typing: false });
    expect(plain).toEqual({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.2' });
    expect(validateMessageRequest(buildMarkRead('wamid.2', { typing: true }))).toEqual({ kind: 'read', messageId: 'wamid.2', typing: true });
  });
});
