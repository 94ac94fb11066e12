/** Stable error codes of conversations (documented in docs/messages.md). */
export const ConversationErrorCode = {
  CONVERSATION_NOT_FOUND: 'CONVERSATION_NOT_FOUND',
  /** Sending to a conversation that was ended: start a new one. */
  CONVERSATION_ENDED: 'CONVERSATION_ENDED',
  UNSUPPORTED_SERVICE: 'UNSUPPORTED_SERVICE',
  PLATFORM_CONFIG_MISMATCH: 'PLATFORM_CONFIG_MISMATCH',
  UNKNOWN_PLATFORM: 'UNKNOWN_PLATFORM',
} as const;
