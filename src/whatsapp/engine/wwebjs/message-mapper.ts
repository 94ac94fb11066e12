import type { AckLevel, ChatId, EngineMessage, InboundEngineEvent, MessageKind } from '../messaging-engine.port';

/**
 * Turns whatsapp-web.js objects into the port's normalised events. The shapes vary: ids may be
 * strings or wid objects, reaction timestamps are float seconds, `before` of a revoke may be
 * missing. Kept structural (no library import) so it is unit-testable with plain objects.
 */

type Wid = string | { _serialized?: string } | null | undefined;

export interface WMessageId {
  _serialized: string;
  remote: Wid;
  fromMe: boolean;
  id?: string;
  participant?: Wid;
}

/** The fields of a whatsapp-web.js Message this mapper reads. */
export interface WMessage {
  id: WMessageId;
  type: string;
  timestamp: number;
  from?: Wid;
  to?: Wid;
  author?: Wid;
  fromMe: boolean;
  body?: string;
  hasMedia?: boolean;
  hasQuotedMsg?: boolean;
  isForwarded?: boolean;
  isStatus?: boolean;
  broadcast?: boolean;
  location?: { latitude: number | string; longitude: number | string; name?: string; address?: string; description?: string };
  vCards?: string[];
  mentionedIds?: Wid[];
  _data?: Record<string, unknown>;
}

export function widOf(value: Wid): string | undefined {
  if (!value) return undefined;
  return typeof value === 'string' ? value : value._serialized;
}

const KINDS: Record<string, MessageKind> = {
  chat: 'text',
  image: 'image',
  video: 'video',
  gif: 'video',
  audio: 'audio',
  ptt: 'audio',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
  vcard: 'contacts',
  multi_vcard: 'contacts',
  revoked: 'revoked',
};

export function messageKind(type: string): MessageKind {
  return KINDS[type] ?? 'other';
}

/** Messages we never report: status broadcasts and group notifications (those become group events). */
export function isReportable(msg: WMessage): boolean {
  const chat = widOf(msg.id.remote) ?? '';
  return !msg.isStatus && chat !== 'status@broadcast' && !msg.broadcast && msg.type !== 'gp2' && msg.type !== 'e2e_notification';
}

/** Serialized id of the message this one replies to, when the raw data names it. */
function quotedId(msg: WMessage, chatId: ChatId, me?: string): string | undefined {
  const data = msg._data ?? {};
  const stanza = typeof data.quotedStanzaID === 'string' ? data.quotedStanzaID : undefined;
  if (!stanza) return undefined;
  const participant = widOf(data.quotedParticipant as Wid);
  const fromMe = !!me && participant === me;
  const group = chatId.endsWith('@g.us');
  return `${fromMe}_${chatId}_${stanza}${group && participant ? `_${participant}` : ''}`;
}

export function toEngineMessage(msg: WMessage, me?: string): EngineMessage {
  const chatId = widOf(msg.id.remote) ?? (msg.fromMe ? widOf(msg.to) : widOf(msg.from)) ?? '';
  const isGroup = chatId.endsWith('@g.us');
  const senderId = (isGroup ? widOf(msg.author) ?? widOf(msg.id.participant) : undefined) ?? (msg.fromMe ? me ?? widOf(msg.from) : widOf(msg.from)) ?? chatId;
  const data = msg._data ?? {};
  const kind = messageKind(msg.type);
  const out: EngineMessage = {
    id: msg.id._serialized,
    chatId,
    senderId,
    isGroup,
    fromMe: msg.fromMe,
    timestamp: msg.timestamp,
    kind,
  };
  const notifyName = typeof data.notifyName === 'string' && data.notifyName ? data.notifyName : undefined;
  if (notifyName && !msg.fromMe) out.senderName = notifyName;
  if (msg.hasMedia) {
    out.caption = typeof data.caption === 'string' && data.caption ? data.caption : undefined;
    out.media = {
      mimetype: typeof data.mimetype === 'string' ? data.mimetype : 'application/octet-stream',
      filename: typeof data.filename === 'string' ? data.filename : undefined,
      size: typeof data.size === 'number' ? data.size : undefined,
    };
  } else if (kind === 'text' || kind === 'other') {
    out.body = msg.body ?? '';
  }
  if (kind === 'location' && msg.location) {
    const [name, address] = typeof data.loc === 'string' ? data.loc.split('\n') : [];
    out.location = {
      latitude: Number(msg.location.latitude),
      longitude: Number(msg.location.longitude),
      ...(name ? { name } : {}),
      ...(address ? { address } : {}),
    };
  }
  if (kind === 'contacts') out.vcards = msg.vCards ?? [];
  const quoted = msg.hasQuotedMsg ? quotedId(msg, chatId, me) : undefined;
  if (quoted) out.quotedMessageId = quoted;
  if (msg.isForwarded) out.isForwarded = true;
  const mentions = (msg.mentionedIds ?? []).map(widOf).filter((m): m is string => !!m);
  if (mentions.length) out.mentions = mentions;
  return out;
}

const ACKS: Record<number, AckLevel> = { [-1]: 'failed', 0: 'pending', 1: 'sent', 2: 'delivered', 3: 'read', 4: 'played' };

export function ackLevel(ack: number): AckLevel {
  return ACKS[ack] ?? (ack > 4 ? 'played' : 'pending');
}

export function ackEvent(msg: WMessage, ack: number): InboundEngineEvent {
  return { type: 'ack', messageId: msg.id._serialized, chatId: widOf(msg.id.remote) ?? '', ack: ackLevel(ack) };
}

export function revokeEvent(after: WMessage, before?: WMessage): InboundEngineEvent {
  const chatId = widOf(after.id.remote) ?? '';
  const sender = chatId.endsWith('@g.us') ? widOf(after.author) ?? widOf(before?.author) : after.fromMe ? undefined : widOf(after.from);
  return { type: 'revoke', messageId: after.id._serialized, chatId, fromMe: after.fromMe, ...(sender ? { senderId: sender } : {}) };
}

export function editEvent(msg: WMessage, body: string, previousBody?: string): InboundEngineEvent {
  const chatId = widOf(msg.id.remote) ?? '';
  const sender = chatId.endsWith('@g.us') ? widOf(msg.author) : msg.fromMe ? undefined : widOf(msg.from);
  return {
    type: 'edit',
    messageId: msg.id._serialized,
    chatId,
    body,
    ...(previousBody !== undefined ? { previousBody } : {}),
    ...(sender ? { senderId: sender } : {}),
  };
}

export interface WReaction {
  msgId: WMessageId;
  senderId: Wid;
  reaction: string;
  timestamp: number;
}

export function reactionEvent(r: WReaction): InboundEngineEvent {
  const ts = r.timestamp > 1e11 ? r.timestamp / 1000 : r.timestamp;
  return {
    type: 'reaction',
    messageId: r.msgId._serialized,
    chatId: widOf(r.msgId.remote) ?? '',
    senderId: widOf(r.senderId) ?? '',
    emoji: r.reaction ?? '',
    timestamp: Math.floor(ts),
  };
}

export interface WGroupNotification {
  chatId?: Wid;
  id?: { remote?: Wid };
  author?: Wid;
  type: string;
  recipientIds?: Wid[];
}

export function groupEvent(kind: 'group_join' | 'group_leave', n: WGroupNotification): InboundEngineEvent {
  const groupId = widOf(n.chatId) ?? widOf(n.id?.remote) ?? '';
  const by = widOf(n.author);
  return {
    type: kind,
    groupId,
    participants: (n.recipientIds ?? []).map(widOf).filter((p): p is string => !!p),
    subtype: n.type,
    ...(by ? { by } : {}),
  };
}
