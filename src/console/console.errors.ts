/** Error codes of the operator console (see docs/console.md). */
export const ConsoleErrorCode = {
  /** The session cookie is not ours (bad signature) or its session is gone (signed out, expired). */
  CONSOLE_SESSION_INVALID: 'CONSOLE_SESSION_INVALID',
  /** The key the session was made from was revoked (or the admin key changed). */
  CONSOLE_SESSION_REVOKED: 'CONSOLE_SESSION_REVOKED',
  /** A state change without the session's CSRF token, or from another origin. */
  CONSOLE_CSRF_FAILED: 'CONSOLE_CSRF_FAILED',
  /** A console-session route called without a console session (e.g. with an API key). */
  CONSOLE_SESSION_REQUIRED: 'CONSOLE_SESSION_REQUIRED',
  /** The console's assets were not built (`npm run build`). */
  CONSOLE_NOT_BUILT: 'CONSOLE_NOT_BUILT',
} as const;
