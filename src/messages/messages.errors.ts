/** Stable error codes of messages (documented in docs/messages.md). */
export const MessageErrorCode = {
  MESSAGE_NOT_FOUND: 'MESSAGE_NOT_FOUND',
  QUOTED_MESSAGE_NOT_FOUND: 'QUOTED_MESSAGE_NOT_FOUND',
  /** Reacting to, forwarding or deleting a message that never reached WhatsApp (failed). */
  MESSAGE_NOT_SENT: 'MESSAGE_NOT_SENT',
  /** POST /messages/:id/retry on a message that is not a failed API send (queued, sent, inbound…). */
  MESSAGE_NOT_RETRYABLE: 'MESSAGE_NOT_RETRYABLE',
  INVALID_MEDIA_URL: 'INVALID_MEDIA_URL',
  MEDIA_URL_FORBIDDEN: 'MEDIA_URL_FORBIDDEN',
  MEDIA_UNREACHABLE: 'MEDIA_UNREACHABLE',
  MEDIA_TOO_LARGE: 'MEDIA_TOO_LARGE',
  MEDIA_EMPTY: 'MEDIA_EMPTY',
  /** A sticker that is not an image (video stickers need ffmpeg, which this server does not ship). */
  MEDIA_TYPE_NOT_ALLOWED: 'MEDIA_TYPE_NOT_ALLOWED',
  /** The media server declares an image/audio/video type its bytes are not. */
  MEDIA_TYPE_MISMATCH: 'MEDIA_TYPE_MISMATCH',
  INVALID_IDEMPOTENCY_KEY: 'INVALID_IDEMPOTENCY_KEY',
  /** The same Idempotency-Key was sent with a different request. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** WhatsApp deleted the message only on this device: its revoke window had passed. */
  DELETE_WINDOW_PASSED: 'DELETE_WINDOW_PASSED',
  SENDER_MISMATCH: 'SENDER_MISMATCH',
  FORWARD_ACROSS_CHANNELS: 'FORWARD_ACROSS_CHANNELS',
  /** The send queue could not run a reaction or delete (see message). */
  MESSAGE_ACTION_FAILED: 'MESSAGE_ACTION_FAILED',
  UNKNOWN_PLATFORM: 'UNKNOWN_PLATFORM',
  /** Mark-as-read of a message that is not an inbound one. */
  MESSAGE_NOT_INBOUND: 'MESSAGE_NOT_INBOUND',
  ENGINE_FEATURE_UNSUPPORTED: 'ENGINE_FEATURE_UNSUPPORTED',
} as const;

/** Why a stored message ended `failed` (statusReason). */
export const SendFailureReason = {
  SEND_INTERRUPTED: 'SEND_INTERRUPTED',
  SEND_TIMEOUT: 'SEND_TIMEOUT',
  MEDIA_MISSING: 'MEDIA_MISSING',
  SOURCE_NOT_SENT: 'SOURCE_NOT_SENT',
  ENGINE_ERROR: 'ENGINE_ERROR',
  WHATSAPP_ACK_ERROR: 'WHATSAPP_ACK_ERROR',
} as const;
