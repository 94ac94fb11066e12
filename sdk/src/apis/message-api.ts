import { ApiBase } from '../core/api-base';
import type { CallOptions } from '../core/http-client';
import { conversationRoutes as c } from '../routes/conversations.routes';
import { messageRoutes as m } from '../routes/messages.routes';
import { assertShape, RouteInput, RouteOutput, SameShape } from '../routes/route';
import { MessageService, MessageServiceEnum, Page } from '../types/common';
import type { Conversation, ConversationRefDto, GetConversationsDto, StartConversationDto, StartedConversation } from '../types/conversations';
import type {
  DeleteMessageDto,
  DeleteMessageResult,
  ForwardMessageDto,
  GetContactMessagesDto,
  GetConversationMessagesDto,
  GetMessageDto,
  ListTemplatesDto,
  MarkReadDto,
  Message,
  MessageTemplate,
  ReactionResult,
  RequestLocationDto,
  RetryMessageDto,
  SendAddressDto,
  SendContactsDto,
  SendInteractiveDto,
  SendLocationDto,
  SendMessageDto,
  SendPlatformMessagePayload,
  SendReactionDto,
  SendStickerDto,
  SendTemplateDto,
} from '../types/messages';

/** Conversations (guide section 4) and messages (sections 5 and 6). */
export class MessageApi extends ApiBase {
  /** Starts a conversation, or returns the open one for the same channel, contact and platform (`created: false`). Its id is the `sessionId` of sends. */
  startConversation(
    payload: StartConversationDto,
    service: MessageServiceEnum | MessageService = MessageServiceEnum.whatsappweb,
    options?: CallOptions,
  ): Promise<StartedConversation> {
    return this.client.call(c.start, { ...payload, service }, options);
  }

  getConversations(payload: GetConversationsDto = {}): Promise<Page<Conversation>> {
    return this.client.call(c.list, payload);
  }

  getConversation({ conversationId, ...rest }: ConversationRefDto): Promise<Conversation> {
    return this.client.call(c.get, { ...rest, id: conversationId });
  }

  /** Ends a conversation (idempotent); sends to it then fail with 422 CONVERSATION_ENDED. */
  endConversation({ conversationId, ...rest }: ConversationRefDto): Promise<Conversation> {
    return this.client.call(c.end, { ...rest, id: conversationId });
  }

  /**
   * Text or media to a conversation (guide 5.1, 5.2; caption and replies too). The answer is the
   * stored message (status `queued`): follow it with getMessage() or `message.status` webhooks.
   * With `options.idempotencyKey`, a retried call returns the first message instead of sending twice.
   */
  sendMessage(payload: SendMessageDto, options?: CallOptions): Promise<Message> {
    return this.client.call(m.send, payload, options);
  }

  /** Text or media to a group (guide 6.1, 6.2). */
  sendGroupMessage(payload: SendPlatformMessagePayload, options?: CallOptions): Promise<Message> {
    return this.client.call(m.group, payload, options);
  }

  /** Deletes a message for everyone (guide 5.12, 6.12); 422 DELETE_WINDOW_PASSED when WhatsApp only deleted it here. */
  deleteMessage(payload: DeleteMessageDto): Promise<DeleteMessageResult> {
    return this.client.call(m.delete, payload);
  }

  /** A sticker (guide 5.4, 6.4): a WebP, PNG or JPEG image. */
  sendSticker(payload: SendStickerDto, options?: CallOptions): Promise<Message> {
    return this.client.call(m.sticker, payload, options);
  }

  /** Contact cards (guide 5.5, 6.5). */
  sendContacts(payload: SendContactsDto, options?: CallOptions): Promise<Message> {
    return this.client.call(m.contacts, payload, options);
  }

  /** A location (guide 5.8, 6.8). */
  sendLocation(payload: SendLocationDto, options?: CallOptions): Promise<Message> {
    return this.client.call(m.location, payload, options);
  }

  /** An address: a location with a name and an address line (guide 5.9, 6.9). */
  sendAddress(payload: SendAddressDto, options?: CallOptions): Promise<Message> {
    return this.client.call(m.address, payload, options);
  }

  /** Forwards a message of the same channel (guide 5.11, 6.11). */
  forwardMessage(payload: ForwardMessageDto, options?: CallOptions): Promise<Message> {
    return this.client.call(m.forward, payload, options);
  }

  /** Reacts to a message (guide 5.6, 6.6); an empty emoji removes the reaction. */
  sendReaction(payload: SendReactionDto): Promise<ReactionResult> {
    return this.client.call(m.reaction, payload);
  }

  /**
   * Reply buttons, a list or a CTA URL button (guide 5.7, 6.7), answered with the stored message
   * (`kind: 'interactive'`). Official API only (whatsappcloud, d360): WhatsApp Web answers 422
   * ENGINE_FEATURE_UNSUPPORTED (`details.feature: 'interactive'`); 422 OUTSIDE_SERVICE_WINDOW when the
   * contact has not written in 24 h (send a template instead).
   */
  sendInteractive(payload: SendInteractiveDto, options?: CallOptions): Promise<Message> {
    return this.client.call(m.interactive, payload, options);
  }

  /** Asks for the customer's location (guide 5.10, 6.10), answered with the stored message. Official API only, like sendInteractive. */
  requestLocation(payload: RequestLocationDto, options?: CallOptions): Promise<Message> {
    return this.client.call(m.locationRequest, payload, options);
  }

  /**
   * An approved message template (official API only), answered with the stored message
   * (`kind: 'template'`): the only kind allowed outside the 24 h customer service window.
   * 422 TEMPLATE_NOT_FOUND unless the account has it APPROVED in that language.
   */
  sendTemplate(payload: SendTemplateDto, options?: CallOptions): Promise<Message> {
    return this.client.call(m.template, payload, options);
  }

  /**
   * The channel's message templates, read live from Meta or 360dialog (`status`: default `APPROVED`,
   * `all` for every one). Official API only: a WhatsApp Web channel answers 422 ENGINE_FEATURE_UNSUPPORTED.
   */
  listTemplates(payload: ListTemplatesDto): Promise<MessageTemplate[]> {
    return this.client.call(m.templates, payload) as Promise<MessageTemplate[]>;
  }

  /** A message with its status, WhatsApp id, reactions and revoke. */
  getMessage({ messageId, ...rest }: GetMessageDto): Promise<Message> {
    return this.client.call(m.get, { ...rest, id: messageId });
  }

  /**
   * Sends a failed message again under the same id (status back to `queued`; `message.status` webhooks
   * follow with `retry: n`). 409 MESSAGE_NOT_RETRYABLE unless its status is `failed`.
   */
  retryMessage(payload: RetryMessageDto): Promise<Message> {
    return this.client.call(m.retry, payload);
  }

  /** Marks a received message as read (official API only; WhatsApp Web answers 422 ENGINE_FEATURE_UNSUPPORTED). */
  markRead(payload: MarkReadDto): Promise<{ messageId: string; read: boolean }> {
    return this.client.call(m.markRead, payload);
  }

  /** Messages of a conversation, both directions, newest first by default. */
  getConversationMessages({ conversationId, ...rest }: GetConversationMessagesDto): Promise<Page<Message>> {
    return this.client.call(m.ofConversation, { ...rest, id: conversationId });
  }

  /** Every message with a contact (or group), across conversations. */
  getContactMessages(payload: GetContactMessagesDto): Promise<Page<Message>> {
    return this.client.call(m.ofContact, payload);
  }
}

assertShape<SameShape<StartConversationDto, Omit<RouteInput<typeof c.start>, 'service'>>>();
assertShape<SameShape<GetConversationsDto, RouteInput<typeof c.list>>>();
assertShape<SameShape<SendMessageDto, RouteInput<typeof m.send>>>();
assertShape<SameShape<SendPlatformMessagePayload, RouteInput<typeof m.group>>>();
assertShape<SameShape<DeleteMessageDto, RouteInput<typeof m.delete>>>();
assertShape<SameShape<SendStickerDto, RouteInput<typeof m.sticker>>>();
assertShape<SameShape<SendContactsDto, RouteInput<typeof m.contacts>>>();
assertShape<SameShape<SendLocationDto, RouteInput<typeof m.location>>>();
assertShape<SameShape<SendAddressDto, RouteInput<typeof m.address>>>();
assertShape<SameShape<ForwardMessageDto, RouteInput<typeof m.forward>>>();
assertShape<SameShape<SendReactionDto, RouteInput<typeof m.reaction>>>();
assertShape<SameShape<SendInteractiveDto, RouteInput<typeof m.interactive>>>();
assertShape<SameShape<RequestLocationDto, RouteInput<typeof m.locationRequest>>>();
assertShape<SameShape<SendTemplateDto, RouteInput<typeof m.template>>>();
assertShape<SameShape<ListTemplatesDto, RouteInput<typeof m.templates>>>();
// listTemplates answers the document's MessageTemplateResponse[].
assertShape<SameShape<RouteOutput<typeof m.templates>, MessageTemplate[]>>();
assertShape<SameShape<RetryMessageDto, RouteInput<typeof m.retry>>>();
assertShape<SameShape<MarkReadDto, RouteInput<typeof m.markRead>>>();
assertShape<SameShape<GetContactMessagesDto, RouteInput<typeof m.ofContact>>>();
