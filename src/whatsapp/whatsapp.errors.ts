/** Error codes of WhatsApp sessions, onboarding and the sandbox control API. */
export const WhatsappErrorCode = {
  CHANNEL_NOT_READY: 'CHANNEL_NOT_READY',
  SESSION_NOT_LOCAL: 'SESSION_NOT_LOCAL',
  /** The process running the session did not answer a forwarded command in time. */
  SESSION_OWNER_UNREACHABLE: 'SESSION_OWNER_UNREACHABLE',
  /** The session's process is gone and its lease has not run out yet: another process takes it over shortly. */
  SESSION_MOVING: 'SESSION_MOVING',
  /** Every live process is at SESSION_MAX_PER_PROCESS or draining: the session cannot start anywhere now. */
  NO_SESSION_CAPACITY: 'NO_SESSION_CAPACITY',
  /** Cluster admin: no live server process has that id. */
  PROCESS_NOT_FOUND: 'PROCESS_NOT_FOUND',
  SESSION_ALREADY_CONNECTED: 'SESSION_ALREADY_CONNECTED',
  SESSION_NOT_WAITING_FOR_LINK: 'SESSION_NOT_WAITING_FOR_LINK',
  QR_NOT_AVAILABLE: 'QR_NOT_AVAILABLE',
  PAIRING_CODE_FAILED: 'PAIRING_CODE_FAILED',
  ONBOARDING_LINK_INVALID: 'ONBOARDING_LINK_INVALID',
  ONBOARDING_LINK_EXPIRED: 'ONBOARDING_LINK_EXPIRED',
  SANDBOX_SESSION_NOT_RUNNING: 'SANDBOX_SESSION_NOT_RUNNING',
  SANDBOX_ACTION_FAILED: 'SANDBOX_ACTION_FAILED',
  WA_MESSAGE_UNAVAILABLE: 'WA_MESSAGE_UNAVAILABLE',
} as const;
