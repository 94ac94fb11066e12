import type { EngineMessage, InteractiveContent, MessageKind, TemplateContent } from '../whatsapp/engine/messaging-engine.port';

export type { MessageKind };
export type MessageDirection = 'inbound' | 'outbound';
export type MessageStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'played' | 'failed' | 'received';

export interface MessageLocation {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  url?: string;
}

export interface MessageMedia {
  mediaId?: string;
  mimetype: string;
  filename?: string;
  size?: number;
  sha256?: string;
  /** Audio sent or received as a voice note (push-to-talk). */
  voice?: boolean;
}

export interface MessageView {
  id: string;
  clientIdentifier: string;
  channelId: string;
  direction: MessageDirection;
  waMessageId?: string;
  /** The same id under its provider-neutral name (responses and webhooks; stored as waMessageId). */
  providerMessageId?: string;
  chatId: string;
  contactId?: string;
  conversationId?: string;
  isGroup: boolean;
  senderId?: string;
  senderName?: string;
  fromMe: boolean;
  kind: MessageKind;
  body?: string;
  caption?: string;
  quotedWaMessageId?: string;
  isForwarded?: boolean;
  location?: MessageLocation;
  vcards?: string[];
  media?: MessageMedia;
  /** Official API: the reply buttons, list, CTA or location request sent (kind interactive). */
  interactive?: InteractiveContent;
  /** Official API: the template sent (kind template). */
  template?: TemplateContent;
  /** Official API: the reply button or list row an inbound message answers with (its title is the body). */
  interactiveReply?: EngineMessage['interactiveReply'];
  /** WhatsApp ids mentioned in the message (`5521999999999@c.us`, `…@lid`); inbound only, absent when none. */
  mentions?: string[];
  status: MessageStatus;
  statusReason?: string;
  /** When each status was reached. */
  statusTimes?: Partial<Record<MessageStatus, Date>>;
  revoked?: { at: Date; outcome: 'revoked' | 'deleted_for_me'; by?: string };
  edits?: { body: string; at: Date }[];
  reactions?: { senderId: string; emoji: string; at: Date }[];
  agentName?: string;
  platform?: string;
  timestamp: Date;
  createdAt: Date;
  updatedAt: Date;
  /** Webhook outbox marker for inbound messages, written in the same insert (see webhooks). */
  delivery?: { state: 'pending' | 'dispatched' | 'skipped'; platform?: string; reason?: string };
}

/** What the send worker needs beyond the visible content. Never part of API responses. */
export interface OutboundSpec {
  op: 'send' | 'forward';
  /** Forward: our id of the message copied (its WhatsApp id is read when the forward runs). */
  forwardOf?: string;
  /** Reply to one of our messages that had no WhatsApp id yet when this one was accepted. */
  quotedMessageId?: string;
  asVoice?: boolean;
  asDocument?: boolean;
  /** Official API: ask for a link preview of a text. */
  linkPreview?: boolean;
  attempts?: number;
  /** Contact cards beyond the first go out as WhatsApp messages of their own: their ids. */
  extraWaMessageIds?: string[];
  /** SHA-256 of the request, to tell a retried call from a different one under the same Idempotency-Key. */
  requestHash?: string;
  /** How many times POST /messages/:id/retry put it back in the queue (0 or absent: never). */
  retries?: number;
  /** The failures a retry cleared, oldest first (with WhatsApp's id of a copy WhatsApp had refused). */
  failures?: { at: Date; reason?: string; waMessageId?: string }[];
}

export interface OutboundMessage extends MessageView {
  outbound: OutboundSpec;
}

/** Status rank: acks only move a message forward. `failed` and `received` stand apart. */
export const STATUS_RANK: Record<MessageStatus, number> = {
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  read: 4,
  played: 5,
  failed: -1,
  received: -1,
};

/** Statuses a message may move from to reach `to` (forward moves only; failed only before delivery). */
export function statusesBefore(to: MessageStatus): MessageStatus[] {
  if (to === 'failed') return ['queued', 'sending', 'sent'];
  const rank = STATUS_RANK[to];
  return (Object.keys(STATUS_RANK) as MessageStatus[]).filter((s) => STATUS_RANK[s] >= 0 && STATUS_RANK[s] < rank);
}
