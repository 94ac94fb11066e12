import { ApiBase } from '../core/api-base';
import type { CallOptions } from '../core/http-client';
import { conversationRoutes as c } from '../routes/conversations.routes';
import { assertShape, RouteInput, SameShape } from '../routes/route';
import { MessageService, MessageServiceEnum, Page } from '../types/common';
import type { Conversation, ConversationRefDto, GetConversationsDto, StartConversationDto, StartedConversation } from '../types/conversations';

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
}

assertShape<SameShape<StartConversationDto, Omit<RouteInput<typeof c.start>, 'service'>>>();
assertShape<SameShape<GetConversationsDto, RouteInput<typeof c.list>>>();
