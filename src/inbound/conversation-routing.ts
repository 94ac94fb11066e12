/** The open conversation of a contact, as routing needs it. */
export interface OpenConversation {
  id: string;
  platform?: string;
}

/**
 * Port to the conversations module: which conversation is open for a contact. Optional: the
 * router looks it up in the whole app and routes without it when no module provides one.
 */
export abstract class ConversationRouting {
  abstract findOpen(clientIdentifier: string, channelId: string, contactId: string): Promise<OpenConversation | undefined>;
}
