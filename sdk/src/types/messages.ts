import type * as Api from '../generated';
import type { OperationInput } from '../routes/operation-input';
import type { WebhookInteractiveReply } from './webhooks';

/** `interactive` and `template`: sent through an official-API channel (whatsappcloud, d360). */
export type MessageKind = Api.MessageResponse['kind'] | 'interactive' | 'template';
export type MessageStatus = Api.MessageResponse['status'];

/** What an interactive message carried (kind `interactive`): buttons, a list, a CTA URL or a location request. */
export type InteractiveContent = Api.InteractiveResponse;

/** One of Meta's template components with its parameters, e.g. `{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] }`. */
export type TemplateComponent = Record<string, unknown>;

/** The template a message sent (kind `template`). */
export interface TemplateContent {
  name: string;
  language: string;
  components?: TemplateComponent[];
}

// The server answers `interactive`, `template` and `interactiveReply` on official-API messages (and the
// two kinds), but the OpenAPI document's MessageResponse does not list them yet: added here, optional.
export interface Message extends Omit<Api.MessageResponse, 'kind'> {
  kind: MessageKind;
  /** kind `interactive`: what was sent. */
  interactive?: InteractiveContent;
  /** kind `template`: the template sent. */
  template?: TemplateContent;
  /** An inbound reply to buttons or a list (official API): which button or row; `body` is its title. */
  interactiveReply?: WebhookInteractiveReply;
}

interface Content {
  text?: string;
  /** Official API: show a preview of the first URL of the text (WhatsApp Web decides by itself). */
  linkPreview?: boolean;
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

/**
 * Guide 5.7 / 6.7, official API only (WhatsApp Web answers 422 ENGINE_FEATURE_UNSUPPORTED):
 * `type: 'button'` with 1 to 3 `buttons`, `type: 'list'` with `buttonText` and `sections`,
 * `type: 'cta_url'` with `displayText` and `url`; `header` and `footer` optional.
 */
export type SendInteractiveDto = OperationInput<'POST /messages/interactive'>;

/** Guide 5.10 / 6.10, official API only (WhatsApp Web answers 422 ENGINE_FEATURE_UNSUPPORTED). */
export type RequestLocationDto = OperationInput<'POST /messages/location-request'>;

/**
 * An approved message template (official API only): the only kind a contact who has not written in
 * 24 h may be sent. `components`: Meta's components with their parameters, passed as given.
 */
export type SendTemplateDto = Flatten<Omit<OperationInput<'POST /messages/template'>, 'components'> & { components?: TemplateComponent[] }>;

/** `status` filters: `APPROVED` (default), `PENDING`, `REJECTED`…, or `all`. */
export type ListTemplatesDto = OperationInput<'GET /channels/{channelId}/templates'>;

/** A message template of the channel's WhatsApp Business Account, read live from Meta or 360dialog. */
export type MessageTemplate = Api.MessageTemplateResponse;

type Flatten<T> = { [K in keyof T]: T[K] };

/** The route's path parameter is `id`; the SDK names it `messageId` like the rest of the guide. */
export interface GetMessageDto {
  clientIdentifier?: string;
  messageId: string;
}

/** A received message to mark as read (official API: blue ticks for the customer). */
export type MarkReadDto = OperationInput<'POST /messages/{messageId}/read'>;

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
