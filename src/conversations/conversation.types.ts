export type ConversationStatus = 'open' | 'ended';

export interface ConversationView {
  id: string;
  /** The same id under the name the SDK guide uses for it. */
  sessionId: string;
  clientIdentifier: string;
  service: string;
  channelId: string;
  platformConfigId: string;
  contactId: string;
  clientProviderId: string;
  chatId: string;
  isGroup: boolean;
  platform: string;
  userName?: string;
  companyName?: string;
  sessionWithPriority: boolean;
  status: ConversationStatus;
  endedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface ConversationFilter {
  channelId?: string;
  contactId?: string;
  platform?: string;
  status?: ConversationStatus;
}

export const openKeyOf = (channelId: string, contactId: string, platform: string) => `${channelId}:${contactId}:${platform}`;
