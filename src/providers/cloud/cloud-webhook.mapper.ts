import type { AckLevel, ChatId, EngineMessage, InboundEngineEvent, ProviderError } from '../../whatsapp/engine/messaging-engine.port';

/**
 * Turns a WhatsApp Cloud API webhook delivery (Meta's `whatsapp_business_account` notification;
 * 360dialog forwards the same body) into the port's provider-neutral events, so platforms see the
 * same messages, acks and reactions whichever provider a channel uses. Pure and structural: no I/O,
 * and the body is read defensively because it arrives from the network.
 */

/** What one `entry[].changes[]` of field `messages` holds, for the number it names. */
export interface CloudWebhookBatch {
  phoneNumberId: string;
  displayPhoneNumber?: string;
  events: InboundEngineEvent[];
  /** `value.errors[]`: problems Meta reports for the number or app, not tied to one message. */
  errors: ProviderError[];
}

/** The body is not a WhatsApp Business Account notification at all (the receiver answers 400). */
export class CloudWebhookShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CloudWebhookShapeError';
  }
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const objs = (v: unknown): Obj[] => list(v).filter(isObj);
const field = (o: Obj, key: string): Obj => (isObj(o[key]) ? (o[key] as Obj) : {});
/** A non-empty string, or undefined: Meta omits optional fields but some proxies send "". */
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const person = (waId: string): ChatId => `${waId}@c.us`;

/**
 * `me`: the business number (wa_id or chat id). Meta never delivers the business's own messages on
 * field `messages`, but a sender equal to `me` is flagged fromMe so a proxy that echoes them cannot
 * make the server answer itself.
 */
export function mapCloudWebhook(body: unknown, me?: string): CloudWebhookBatch[] {
  if (!isObj(body) || body.object !== 'whatsapp_business_account' || !Array.isArray(body.entry)) {
    throw new CloudWebhookShapeError('expected { object: "whatsapp_business_account", entry: [...] }');
  }
  const meDigits = me?.split('@')[0].replace(/\D/g, '') || undefined;
  const batches: CloudWebhookBatch[] = [];
  for (const entry of objs(body.entry)) {
    for (const change of objs(entry.changes)) {
      // Other fields (templates, quality, account updates, echoes…) are not chat events.
      if (change.field !== 'messages' || !isObj(change.value)) continue;
      batches.push(mapValue(change.value, meDigits));
    }
  }
  return batches;
}

function mapValue(value: Obj, me: string | undefined): CloudWebhookBatch {
  const metadata = field(value, 'metadata');
  const names = new Map<string, string>();
  for (const c of objs(value.contacts)) {
    const name = text(field(c, 'profile').name);
    if (typeof c.wa_id === 'string' && name) names.set(c.wa_id, name);
  }
  const events: InboundEngineEvent[] = [];
  // JSON.parse keeps key order, so walking the keys replays statuses and messages as Meta sent them.
  for (const key of Object.keys(value)) {
    if (key === 'messages') for (const m of objs(value.messages)) push(events, messageEvent(m, names, me));
    if (key === 'statuses') for (const s of objs(value.statuses)) push(events, statusEvent(s));
  }
  const display = text(metadata.display_phone_number);
  return {
    phoneNumberId: text(metadata.phone_number_id) ?? '',
    ...(display ? { displayPhoneNumber: display } : {}),
    events,
    errors: objs(value.errors).map(providerError),
  };
}

function push(events: InboundEngineEvent[], event: InboundEngineEvent | undefined): void {
  if (event) events.push(event);
}

/** Meta's error object (`code`, `title`, `error_data.details`) as the port's ProviderError. */
function providerError(e: Obj): ProviderError {
  const details = text(field(e, 'error_data').details);
  return { code: Number(e.code), title: text(e.title) ?? text(e.message) ?? 'Error', ...(details ? { details } : {}) };
}

// Other names (Meta's `deleted`, `warning`, a future one) carry no delivery progress.
const ACKS = new Set<string>(['sent', 'delivered', 'read', 'failed']);

function statusEvent(s: Obj): InboundEngineEvent | undefined {
  if (typeof s.id !== 'string' || typeof s.status !== 'string' || !ACKS.has(s.status)) return undefined;
  const recipient = String(s.recipient_id ?? '');
  const chatId = s.recipient_type === 'group' ? `${recipient}@g.us` : person(recipient);
  const [first] = objs(s.errors);
  const pricing = field(s, 'pricing');
  const category = text(pricing.category);
  return {
    type: 'ack',
    messageId: s.id,
    chatId,
    ack: s.status as AckLevel,
    ...(first ? { error: providerError(first) } : {}),
    ...(category ? { pricing: { category, ...(typeof pricing.billable === 'boolean' ? { billable: pricing.billable } : {}) } } : {}),
  };
}

function messageEvent(m: Obj, names: Map<string, string>, me: string | undefined): InboundEngineEvent | undefined {
  // Without an id and a sender the event could be neither stored nor answered.
  if (typeof m.id !== 'string' || typeof m.from !== 'string') return undefined;
  const senderId = person(m.from);
  const group = text(m.group_id);
  const chatId = group ? `${group}@g.us` : senderId;
  const timestamp = Number(m.timestamp);
  const type = String(m.type ?? '');
  if (type === 'reaction') {
    const r = field(m, 'reaction');
    // Meta sends an empty (or no) emoji when the customer takes the reaction back.
    return { type: 'reaction', messageId: String(r.message_id ?? ''), chatId, senderId, emoji: typeof r.emoji === 'string' ? r.emoji : '', timestamp };
  }
  const fromMe = !!me && m.from === me;
  const name = names.get(m.from);
  const message: EngineMessage = { id: m.id, chatId, senderId, isGroup: !!group, fromMe, timestamp, kind: 'other', ...content(type, m) };
  if (name && !fromMe) message.senderName = name;
  const context = field(m, 'context');
  const quoted = text(context.id);
  if (quoted) message.quotedMessageId = quoted;
  if (context.forwarded === true || context.frequently_forwarded === true) message.isForwarded = true;
  return { type: 'message', message };
}

const MEDIA = new Set(['image', 'video', 'audio', 'document', 'sticker']);

/** The kind-specific part of the message, shaped like the WhatsApp Web mapper's. */
function content(type: string, m: Obj): Partial<EngineMessage> {
  const p = field(m, type);
  if (type === 'text') return { kind: 'text', body: typeof p.body === 'string' ? p.body : '' };
  if (MEDIA.has(type)) return mediaContent(type as EngineMessage['kind'], p);
  if (type === 'location') {
    const name = text(p.name);
    const address = text(p.address);
    const location = { latitude: Number(p.latitude), longitude: Number(p.longitude), ...(name ? { name } : {}), ...(address ? { address } : {}) };
    return { kind: 'location', location };
  }
  if (type === 'contacts') return { kind: 'contacts', vcards: objs(m.contacts).map(cloudContactToVcard) };
  if (type === 'interactive') return interactiveContent(p);
  if (type === 'button') {
    // A template quick-reply tap: reported like an interactive button so platforms handle one shape.
    const title = typeof p.text === 'string' ? p.text : '';
    return { kind: 'text', body: title, interactiveReply: { type: 'button_reply', id: String(p.payload ?? ''), title } };
  }
  if (type === 'system') return { kind: 'other', body: text(p.body) ?? describe(type) };
  return { kind: 'other', body: describe(text(p.type) ? `${type}: ${p.type}` : type, firstErrorText(m)) };
}

function mediaContent(kind: EngineMessage['kind'], p: Obj): Partial<EngineMessage> {
  const filename = text(p.filename);
  const sha256 = text(p.sha256);
  const providerRef = text(p.id);
  const caption = text(p.caption);
  const media: NonNullable<EngineMessage['media']> = {
    mimetype: text(p.mime_type) ?? 'application/octet-stream',
    ...(filename ? { filename } : {}),
    ...(sha256 ? { sha256 } : {}),
    // The media id is what GET /<media-id> needs to download it; the wamid cannot fetch it.
    ...(providerRef ? { providerRef } : {}),
    ...(kind === 'audio' ? { voice: p.voice === true } : {}),
  };
  return { kind, media, ...(caption ? { caption } : {}) };
}

function interactiveContent(p: Obj): Partial<EngineMessage> {
  const replyType = p.type;
  if (replyType !== 'button_reply' && replyType !== 'list_reply') {
    // e.g. nfm_reply (a Flow's answer): no neutral shape yet, so platforms at least see it arrived.
    return { kind: 'other', body: describe(`interactive: ${String(replyType ?? 'unknown')}`) };
  }
  const r = field(p, replyType);
  const title = typeof r.title === 'string' ? r.title : '';
  const description = text(r.description);
  return { kind: 'text', body: title, interactiveReply: { type: replyType, id: String(r.id ?? ''), title, ...(description ? { description } : {}) } };
}

function firstErrorText(m: Obj): string | undefined {
  const [e] = objs(m.errors);
  return e ? text(field(e, 'error_data').details) ?? text(e.title) ?? text(e.message) : undefined;
}

function describe(what: string, detail?: string): string {
  return `[unsupported WhatsApp message (${what})${detail ? `: ${detail}` : ''}]`;
}

/** RFC 2426 text escaping, as src/messages/content/vcard.ts does for the cards we send. */
function esc(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;').replace(/\r?\n/g, '\\n');
}

/** Non-text values (phones, URLs, dates) are not escaped, but a newline would end the line early. */
const flat = (value: string): string => value.replace(/[\r\n]+/g, ' ');

/**
 * One of Meta's `contacts[]` objects as a vCard 3.0 in WhatsApp's own layout (the one buildVcard
 * writes): `waid` on the phone line keeps the card's "Message" button working on the platform side.
 */
function cloudContactToVcard(c: Obj): string {
  const n = field(c, 'name');
  const [first, last, middle, prefix, suffix] = ['first_name', 'last_name', 'middle_name', 'prefix', 'suffix'].map((k) => text(n[k]) ?? '');
  const phones = objs(c.phones);
  const fn = text(n.formatted_name) ?? ([prefix, first, middle, last, suffix].filter(Boolean).join(' ') || text(phones[0]?.phone) || '');
  const lines = ['BEGIN:VCARD', 'VERSION:3.0'];
  lines.push(first || last || middle ? `N:${[last, first, middle, prefix, suffix].map(esc).join(';')}` : `N:;${esc(fn)};;;`, `FN:${esc(fn)}`);
  const org = field(c, 'org');
  if (text(org.company)) lines.push(`ORG:${esc(String(org.company))};${esc(text(org.department) ?? '')}`);
  if (text(org.title)) lines.push(`TITLE:${esc(String(org.title))}`);
  for (const e of objs(c.emails)) if (text(e.email)) lines.push(`EMAIL;type=INTERNET${typeParam(e.type)}:${esc(String(e.email))}`);
  for (const p of phones) {
    const waId = text(p.wa_id)?.replace(/\D/g, '');
    const number = text(p.phone) ?? (waId ? `+${waId}` : undefined);
    if (!number) continue;
    const type = typeParam(p.type) || ';type=CELL';
    lines.push(waId ? `TEL${type};type=VOICE;waid=${waId}:${flat(number)}` : `TEL${type}:${flat(number)}`);
  }
  for (const a of objs(c.addresses)) {
    const parts = ['street', 'city', 'state', 'zip', 'country'].map((k) => esc(text(a[k]) ?? ''));
    lines.push(`ADR${typeParam(a.type)}:;;${parts.join(';')}`);
  }
  for (const u of objs(c.urls)) if (text(u.url)) lines.push(`URL${typeParam(u.type)}:${flat(String(u.url))}`);
  if (text(c.birthday)) lines.push(`BDAY:${flat(String(c.birthday))}`);
  lines.push('END:VCARD');
  return lines.join('\n');
}

/** Meta's HOME/WORK label as a vCard type parameter; anything odd is dropped rather than injected. */
function typeParam(type: unknown): string {
  const t = text(type);
  return t && /^[A-Za-z-]+$/.test(t) ? `;type=${t.toUpperCase()}` : '';
}
