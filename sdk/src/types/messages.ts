import type * as Api from '../generated';
import type { OperationInput } from '../routes/operation-input';

export type MessageKind = Api.MessageResponse['kind'];
export type MessageStatus = Api.MessageResponse['status'];
export interface Message extends Api.MessageResponse {}

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
export type DeleteMessageDto = OperationInput<'POST /messages/delete'>;

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

export type SendStickerDto = OperationInput<'POST /messages/sticker'>;

export type ContactCard = Api.ContactCardDto;

export type SendContactsDto = OperationInput<'POST /messages/contacts'>;

export type SendLocationDto = OperationInput<'POST /messages/location'>;

export type SendAddressDto = OperationInput<'POST /messages/address'>;

export type ForwardMessageDto = OperationInput<'POST /messages/forward'>;

export type SendReactionDto = OperationInput<'POST /messages/reaction'>;

/** `state: 'queued'` when the channel's send queue has not reached it after 30 s. */
export interface ReactionResult extends Api.ReactionResultResponse {}

/** `outcome: 'revoked'`: deleted for everyone; `'queued'`: still waiting in the send queue. */
export interface DeleteMessageResult extends Api.DeleteResultResponse {}

/** Buttons or a list: official WhatsApp API only (WhatsApp Web answers 422 ENGINE_FEATURE_UNSUPPORTED). */
export type SendInteractiveDto = OperationInput<'POST /messages/interactive'>;

/** Official WhatsApp API only (WhatsApp Web answers 422 ENGINE_FEATURE_UNSUPPORTED). */
export type RequestLocationDto = OperationInput<'POST /messages/location-request'>;

/** The route's path parameter is `id`; the SDK names it `messageId` like the rest of the guide. */
export interface GetMessageDto {
  clientIdentifier?: string;
  messageId: string;
}

/** A message whose status is `failed`, to send again (POST /messages/{messageId}/retry). */
export type RetryMessageDto = OperationInput<'POST /messages/{messageId}/retry'>;

export interface HistoryPageDto {
  clientIdentifier?: string;
  page?: number;
  limit?: number;
  order?: 'asc' | 'desc';
}

export interface GetConversationMessagesDto extends HistoryPageDto {
  conversationId: string;
}

export type GetContactMessagesDto = OperationInput<'GET /contacts/{contactId}/messages'>;
