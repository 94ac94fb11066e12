import type { ChatId, InteractiveContent, OutboundContent } from '../../whatsapp/engine/messaging-engine.port';

/**
 * Request bodies of the WhatsApp Cloud API's `POST /<version>/<phone-number-id>/messages` (360dialog's
 * `POST /messages` takes the same bodies), built from the server's provider-neutral content. Pure: the
 * caller uploads media first and passes the media id, and sends what these functions return.
 */

/** Content the Cloud API has no way to carry (the caller answers 422 with `feature`). */
export class CloudUnsupportedError extends Error {
  constructor(readonly feature: string) {
    super(`${feature} cannot be sent through the WhatsApp Cloud API`);
    this.name = 'CloudUnsupportedError';
  }
}

export type CloudMediaType = 'image' | 'video' | 'audio' | 'document';

type Body = Record<string, unknown>;

/**
 * The Cloud API message type for a mime type. Narrower than WhatsApp Web: Meta only accepts JPEG/PNG
 * images (WebP is for stickers, GIFs must be MP4 video), MP4/3GP video and AAC/AMR/MP3/MP4/Ogg audio.
 * Anything else goes as a document so the customer still gets the file. Exported so the uploader
 * can tell which type the bytes will be sent as.
 */
export function cloudMediaType(mimetype: string, asDocument = false): CloudMediaType {
  if (asDocument) return 'document';
  const type = mimetype.split(';')[0].trim().toLowerCase();
  if (type === 'image/jpeg' || type === 'image/jpg' || type === 'image/png') return 'image';
  if (type === 'video/mp4' || type === 'video/3gpp') return 'video';
  if (['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp3', 'audio/mp4', 'audio/ogg', 'audio/opus'].includes(type)) return 'audio';
  return 'document';
}

export function buildCloudMessage(
  chatId: ChatId,
  content: OutboundContent,
  opts: { replyTo?: string; mediaId?: string } = {},
): Body {
  const [type, payload] = payloadFor(content, opts.mediaId);
  return {
    ...envelope(chatId),
    ...(opts.replyTo ? { context: { message_id: opts.replyTo } } : {}),
    type,
    [type]: payload,
  };
}

/** An empty emoji removes the reaction, as in Meta's API. */
export function buildReaction(chatId: ChatId, messageId: string, emoji: string): Body {
  return { ...envelope(chatId), type: 'reaction', reaction: { message_id: messageId, emoji } };
}

/** Mark-as-read has its own envelope: no recipient, the message id says whose chat. */
export function buildMarkRead(messageId: string, opts: { typing?: boolean } = {}): Body {
  return {
    messaging_product: 'whatsapp',
    status: 'read',
    message_id: messageId,
    ...(opts.typing ? { typing_indicator: { type: 'text' } } : {}),
  };
}

/**
 * `5521…@c.us` → a phone number; `<id>@g.us` → a group (Meta's Groups API addresses groups by id).
 * `@lid` privacy ids exist only on WhatsApp Web: the Cloud API cannot address them.
 */
function envelope(chatId: ChatId): Body {
  const at = chatId.lastIndexOf('@');
  const user = at < 0 ? chatId : chatId.slice(0, at);
  const server = at < 0 ? 'c.us' : chatId.slice(at + 1);
  if (server === 'g.us') {
    if (!user) throw new Error(`invalid group chat id "${chatId}"`);
    return { messaging_product: 'whatsapp', recipient_type: 'group', to: user };
  }
  if (server !== 'c.us' && server !== 's.whatsapp.net') throw new CloudUnsupportedError(`recipient ${server}`);
  const digits = user.replace(/\D/g, '');
  if (!digits) throw new Error(`invalid chat id "${chatId}"`);
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to: digits };
}

function payloadFor(content: OutboundContent, mediaId: string | undefined): [string, unknown] {
  switch (content.kind) {
    case 'text':
      return ['text', { body: content.text, ...(content.previewUrl ? { preview_url: true } : {}) }];
    case 'media': {
      const type = cloudMediaType(content.media.mimetype, content.asDocument);
      const payload: Body = { id: requireMediaId(mediaId) };
      // Meta rejects a caption on audio (voice notes included): it is simply not sent.
      if (type !== 'audio' && content.caption) payload.caption = content.caption;
      if (type === 'document' && content.media.filename) payload.filename = fitFilename(content.media.filename);
      return [type, payload];
    }
    case 'sticker':
      return ['sticker', { id: requireMediaId(mediaId) }];
    case 'contacts': {
      const contacts = content.vcards.flatMap(splitVcards).map(vcardToContact);
      if (contacts.length === 0) throw new Error('contacts message without any vCard');
      return ['contacts', contacts];
    }
    case 'location':
      // `url` has no Cloud API field: dropped rather than refused, the pin is what matters.
      return [
        'location',
        {
          latitude: content.latitude,
          longitude: content.longitude,
          ...(content.name ? { name: content.name } : {}),
          ...(content.address ? { address: content.address } : {}),
        },
      ];
    case 'interactive':
      return ['interactive', interactivePayload(content.interactive)];
    case 'template': {
      const { name, language, components } = content.template;
      return ['template', { name, language: { code: language }, ...(components ? { components } : {}) }];
    }
    default:
      throw new CloudUnsupportedError((content as { kind: string }).kind);
  }
}

function requireMediaId(mediaId: string | undefined): string {
  if (!mediaId) throw new Error('media must be uploaded first: mediaId is missing');
  return mediaId;
}

/** Meta caps document file names at 240 characters; keep the extension, which is what apps open it by. */
function fitFilename(name: string): string {
  const chars = [...name];
  if (chars.length <= 240) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  return chars.slice(0, 240 - [...ext].length).join('') + ext;
}

function interactivePayload(i: InteractiveContent): Body {
  const header = i.header ? { header: { type: 'text', text: i.header } } : {};
  const body = { body: { text: i.body } };
  const footer = i.footer ? { footer: { text: i.footer } } : {};
  switch (i.type) {
    case 'button':
      if (!i.buttons?.length) throw new Error('interactive button message without buttons');
      return {
        type: 'button',
        ...header,
        ...body,
        ...footer,
        action: { buttons: i.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) },
      };
    case 'list':
      if (!i.buttonText || !i.sections?.length) throw new Error('interactive list message needs buttonText and sections');
      return {
        type: 'list',
        ...header,
        ...body,
        ...footer,
        action: {
          button: i.buttonText,
          sections: i.sections.map((s) => ({
            ...(s.title ? { title: s.title } : {}),
            rows: s.rows.map((r) => ({ id: r.id, title: r.title, ...(r.description ? { description: r.description } : {}) })),
          })),
        },
      };
    case 'cta_url':
      if (!i.displayText || !i.url) throw new Error('interactive cta_url message needs displayText and url');
      return { type: 'cta_url', ...header, ...body, ...footer, action: { name: 'cta_url', parameters: { display_text: i.displayText, url: i.url } } };
    case 'location_request':
      // Meta's location request has neither header nor footer: only the body is sent.
      return { type: 'location_request_message', ...body, action: { name: 'send_location' } };
    default:
      throw new CloudUnsupportedError(`interactive ${(i as { type: string }).type}`);
  }
}

// ---- vCard 3.0 → Meta's contact object -------------------------------------------------------------

interface VcardLine {
  name: string;
  params: string[];
  waid?: string;
  value: string;
}

/** One string may hold several cards; text outside BEGIN/END (or a card without them) is kept as one. */
function splitVcards(text: string): string[] {
  const cards = text.split(/^BEGIN:VCARD\s*$/im).filter((c) => c.trim() !== '');
  return cards.length ? cards : [text];
}

/**
 * Tolerant reading: folded lines, `item1.TEL` groups (iOS), `TYPE=a,b` and bare `CELL` parameters
 * (vCard 2.1) are all accepted; unknown properties are ignored. A card with no name is named by its
 * first phone number, because Meta requires `formatted_name`.
 */
function vcardToContact(card: string): Body {
  const lines = parseLines(card);
  const first = (name: string) => lines.find((l) => l.name === name);
  const n = first('N') ? splitComponents(first('N')!.value) : [];
  const [family = '', given = '', middle = '', prefix = '', suffix = ''] = n;
  const phones = lines.filter((l) => l.name === 'TEL' && l.value).map((l) => {
    const type = firstType(l.params, ['VOICE', 'MSG']);
    return { phone: l.value, ...(l.waid ? { wa_id: l.waid } : {}), ...(type ? { type } : {}) };
  });
  const emails = lines.filter((l) => l.name === 'EMAIL' && l.value).map((l) => {
    const type = firstType(l.params, ['INTERNET']);
    return { email: unescape(l.value), ...(type ? { type } : {}) };
  });
  const urls = lines.filter((l) => l.name === 'URL' && l.value).map((l) => ({ url: unescape(l.value) }));
  const formatted =
    unescape(first('FN')?.value ?? '').trim() || [prefix, given, middle, family, suffix].filter(Boolean).join(' ') || phones[0]?.phone || 'Contact';
  const name: Body = { formatted_name: formatted };
  if (given) name.first_name = given;
  if (family) name.last_name = family;
  if (middle) name.middle_name = middle;
  if (prefix) name.prefix = prefix;
  if (suffix) name.suffix = suffix;
  const [company = '', department = ''] = first('ORG') ? splitComponents(first('ORG')!.value) : [];
  const title = unescape(first('TITLE')?.value ?? '');
  const org = { ...(company ? { company } : {}), ...(department ? { department } : {}), ...(title ? { title } : {}) };
  const birthday = first('BDAY')?.value;
  return {
    name,
    ...(phones.length ? { phones } : {}),
    ...(emails.length ? { emails } : {}),
    ...(Object.keys(org).length ? { org } : {}),
    ...(urls.length ? { urls } : {}),
    // Meta takes YYYY-MM-DD only; other birthday formats would make the whole send fail.
    ...(birthday && /^\d{4}-\d{2}-\d{2}$/.test(birthday) ? { birthday } : {}),
  };
}

function parseLines(card: string): VcardLine[] {
  // RFC 2425 folding: a line starting with a space or tab continues the previous one.
  const unfolded = card.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const out: VcardLine[] = [];
  for (const raw of unfolded) {
    const colon = raw.indexOf(':');
    if (colon <= 0) continue;
    const [head, ...params] = raw.slice(0, colon).split(';');
    const name = head.replace(/^[^.]*\./, '').trim().toUpperCase();
    const flat = params.flatMap((p) => {
      const eq = p.indexOf('=');
      const key = eq < 0 ? 'TYPE' : p.slice(0, eq).trim().toUpperCase();
      const values = (eq < 0 ? p : p.slice(eq + 1)).split(',').map((v) => v.trim().replace(/^"|"$/g, ''));
      return values.map((v) => `${key}=${v}`);
    });
    const waid = flat.find((p) => p.startsWith('WAID='))?.slice(5).replace(/\D/g, '');
    const types = flat.filter((p) => p.startsWith('TYPE=')).map((p) => p.slice(5).toUpperCase()).filter(Boolean);
    out.push({ name, params: types, ...(waid ? { waid } : {}), value: raw.slice(colon + 1).trim() });
  }
  return out;
}

/**
 * The type worth passing on (Meta's phone types are CELL, MAIN, IPHONE, HOME and WORK): PREF and the
 * property's generic types (VOICE for phones, INTERNET for e-mails) say nothing to the customer.
 */
function firstType(types: string[], generic: string[]): string | undefined {
  return types.find((t) => t !== 'PREF' && !generic.includes(t));
}

/** Splits a structured value (N, ORG) on unescaped semicolons and unescapes each part. */
function splitComponents(value: string): string[] {
  return value.split(/(?<!\\);/).map((part) => unescape(part).trim());
}

function unescape(value: string): string {
  return value.replace(/\\([nN,;\\])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}
