import type { InferField } from '../routes/fields';
import type { MESSAGE_KINDS, MESSAGE_STATUSES, messageShape } from '../routes/messages.routes';

export type MessageKind = (typeof MESSAGE_KINDS)[number];
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export interface Message extends InferField<typeof messageShape> {}

interface Content {
  text?: string;
  /** http(s) URL the server fetches at once; the kind (image, video, audio, document) comes from the bytes. */
  mediaUri?: string;
  /** Media only. */
  caption?: string;
  /** Media only; default: the URL's file name. */
  fileName?: string;
  /** Reply to this message: our message id or its WhatsApp id, in the same chat. */
  quotedMessageId?: string;
  /** Prefix text and captions with the agent name in bold (default true). */
  showAgentName?: boolean;
}

/** SDK guide 5.1 / 5.2: text or media to a conversation. */
export interface SendMessageDto extends Content {
  clientIdentifier?: string;
  agentName: string;
  /** The conversation (id returned by startConversation). */
  sessionId: string;
}

/** SDK guide 6.1 / 6.2: text or media to a group. */
export interface SendPlatformMessagePayload extends Content {
  clientIdentifier?: string;
  agentName?: string;
  channelId: string;
  /** The WhatsApp group id (`…@g.us`). */
  recipientNumber: string;
  /** The platform (slug) sending it. */
  platform: string;
}

/** SDK guide 5.12 / 6.12. */
export interface DeleteMessageDto {
  clientIdentifier?: string;
  /** Our message id or its WhatsApp id. */
  messageId: string;
  /** Who sent the message: the channel's number for our own messages; checked. */
  senderId: string;
  /** The platform asking; must be a platform of the message's channel. */
  channelSlug: string;
}

/** Where a message goes: a conversation (`sessionId`), or a group (`channelId` + `recipientNumber` + `platform`). */
export interface MessageTarget {
  clientIdentifier?: string;
  sessionId?: string;
  channelId?: string;
  recipientNumber?: string;
  platform?: string;
  /** Stored with the message. */
  agentName?: string;
}

export interface SendStickerDto extends MessageTarget {
  /** A WebP, PNG or JPEG image URL. */
  mediaUri: string;
  quotedMessageId?: string;
}

export interface ContactCard {
  name: string;
  /** Digits with country code. */
  phone: string;
  organization?: string;
  email?: string;
}

export interface SendContactsDto extends MessageTarget {
  contacts: ContactCard[];
  quotedMessageId?: string;
}

export interface SendLocationDto extends MessageTarget {
  latitude: number;
  longitude: number;
  name?: string;
  url?: string;
  quotedMessageId?: string;
}

export interface SendAddressDto extends MessageTarget {
  latitude: number;
  longitude: number;
  name: string;
  /** The address line. */
  address: string;
  url?: string;
  quotedMessageId?: string;
}

export interface ForwardMessageDto extends MessageTarget {
  /** The message to forward: our id or its WhatsApp id, any chat of the same channel. */
  messageId: string;
}

export interface SendReactionDto extends MessageTarget {
  /** Our message id or its WhatsApp id, in the target chat. */
  messageId: string;
  /** One emoji; an empty string removes the reaction. */
  emoji: string;
}

export interface ReactionResult {
  /** done, or queued when the channel's send queue has not reached it after 30 s. */
  state: 'done' | 'queued';
  message: Message;
  emoji: string;
}

export interface DeleteMessageResult {
  /** revoked: deleted for everyone; queued: still waiting in the send queue. */
  outcome: 'revoked' | 'queued';
  message: Message;
}

/** Buttons or a list: official WhatsApp API only (WhatsApp Web answers 422 ENGINE_FEATURE_UNSUPPORTED). */
export interface SendInteractiveDto extends MessageTarget {
  type: 'button' | 'list';
  header?: string;
  body: string;
  footer?: string;
  buttons?: { id: string; title: string }[];
  buttonText?: string;
  sections?: { title?: string; rows: { id: string; title: string; description?: string }[] }[];
}

/** Official WhatsApp API only (WhatsApp Web answers 422 ENGINE_FEATURE_UNSUPPORTED). */
export interface RequestLocationDto extends MessageTarget {
  text: string;
}

export interface GetMessageDto {
  clientIdentifier?: string;
  messageId: string;
}

/** A message whose status is `failed`, to send again (POST /messages/{messageId}/retry). */
export interface RetryMessageDto {
  clientIdentifier?: string;
  messageId: string;
}

export interface HistoryPageDto {
  clientIdentifier?: string;
  page?: number;
  limit?: number;
  order?: 'asc' | 'desc';
}

export interface GetConversationMessagesDto extends HistoryPageDto {
  conversationId: string;
}

export interface GetContactMessagesDto extends HistoryPageDto {
  contactId: string;
}
