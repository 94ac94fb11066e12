import type * as Api from '../generated';
import type { OperationInput } from '../routes/operation-input';

export interface Conversation extends Api.ConversationResponse {}
/** `created: false` when the open conversation for the same channel, contact and platform was returned. */
export interface StartedConversation extends Api.StartConversationResponse {}

/** SDK guide 4.1. */
export type StartConversationDto = Omit<OperationInput<'POST /conversations/start/{service}'>, 'service'>;

export type GetConversationsDto = OperationInput<'GET /conversations'>;

export interface ConversationRefDto {
  clientIdentifier?: string;
  /** The conversation id (the `sessionId` of sends). */
  conversationId: string;
}
