import type * as Api from '../generated';
import type { OperationInput } from '../routes/operation-input';

export interface Conversation extends Api.ConversationResponse {}
/** `created: false` when the open conversation for the same channel, contact and platform was returned. */
export interface StartedConversation extends Api.StartConversationResponse {}

/** SDK guide 4.1. */
export interface StartConversationDto {
  clientIdentifier?: string;
  /** The channel's platform configuration id (returned by setup). */
  platformConfigId: string;
  channelId: string;
  /** The customer: phone number with country code, or a WhatsApp group id (`…@g.us`). The contact is created when new. */
  clientProviderId: string;
  /** The customer's name (kept on a new contact). */
  userName?: string;
  /** Required for WhatsApp Web. */
  companyName: string;
  /** Platform slug; default: the channel's startingPlatform. */
  platform?: string;
  sessionWithPriority?: boolean;
}

export type GetConversationsDto = OperationInput<'GET /conversations'>;

export interface ConversationRefDto {
  clientIdentifier?: string;
  /** The conversation id (the `sessionId` of sends). */
  conversationId: string;
}
