/** The states a WhatsApp Web channel's session moves through (see docs/whatsapp-sessions.md). */
export const SESSION_STATES = [
  'STOPPED',
  'STARTING',
  'QR',
  'AUTHENTICATED',
  'READY',
  'DISCONNECTED',
  'FAILED',
  'LOGGED_OUT',
] as const;

export type SessionState = (typeof SESSION_STATES)[number];

/**
 * Legal moves. STOPPED/LOGGED_OUT are rest states a start leaves; DISCONNECTED and FAILED
 * wait for a scheduled restart (or give up, staying FAILED); anything may be stopped.
 */
const TRANSITIONS: Record<SessionState, readonly SessionState[]> = {
  STOPPED: ['STARTING'],
  STARTING: ['QR', 'AUTHENTICATED', 'READY', 'DISCONNECTED', 'FAILED', 'LOGGED_OUT', 'STOPPED'],
  QR: ['QR', 'AUTHENTICATED', 'READY', 'DISCONNECTED', 'FAILED', 'LOGGED_OUT', 'STOPPED'],
  AUTHENTICATED: ['READY', 'QR', 'DISCONNECTED', 'FAILED', 'LOGGED_OUT', 'STOPPED'],
  READY: ['DISCONNECTED', 'FAILED', 'LOGGED_OUT', 'STOPPED', 'QR'],
  DISCONNECTED: ['STARTING', 'FAILED', 'LOGGED_OUT', 'STOPPED'],
  FAILED: ['STARTING', 'LOGGED_OUT', 'STOPPED'],
  LOGGED_OUT: ['STARTING', 'STOPPED'],
};

export function canTransition(from: SessionState, to: SessionState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** States in which a browser is (or is about to be) running for the channel. */
export function isActive(state: SessionState): boolean {
  return state === 'STARTING' || state === 'QR' || state === 'AUTHENTICATED' || state === 'READY';
}

/** Why the state last changed: stable UPPER_SNAKE words clients can branch on. */
export const SessionReason = {
  REQUESTED: 'REQUESTED',
  RESTORED_AT_BOOT: 'RESTORED_AT_BOOT',
  ONBOARDING: 'ONBOARDING',
  QR_RECEIVED: 'QR_RECEIVED',
  AUTHENTICATED: 'AUTHENTICATED',
  CONNECTED: 'CONNECTED',
  START_FAILED: 'START_FAILED',
  READY_TIMEOUT: 'READY_TIMEOUT',
  QR_STALLED: 'QR_STALLED',
  QR_TIMEOUT: 'QR_TIMEOUT',
  BROWSER_CRASHED: 'BROWSER_CRASHED',
  CONFLICT: 'CONFLICT',
  RESTARTING: 'RESTARTING',
  GAVE_UP: 'GAVE_UP',
  LOGGED_OUT_BY_PHONE: 'LOGGED_OUT_BY_PHONE',
  LOGGED_OUT_BY_REQUEST: 'LOGGED_OUT_BY_REQUEST',
  SHUTDOWN: 'SHUTDOWN',
  LEASE_LOST: 'LEASE_LOST',
  CHANNEL_DELETED: 'CHANNEL_DELETED',
  OWNER_GONE: 'OWNER_GONE',
  /** Stopped here because this process is draining (admin API); another process takes it over. */
  DRAINING: 'DRAINING',
  /** Started here because the process that ran it shut down or was drained. */
  HANDED_OVER: 'HANDED_OVER',
} as const;

/**
 * The session is moving between server processes and comes back by itself (its process died or shut
 * down, another adopts it; or it is starting again after such a move). Sends are queued meanwhile,
 * not refused: a move delays them, it must not make the platform resend.
 */
export function isMoving(state: SessionState, reason?: string): boolean {
  if (state === 'DISCONNECTED') return reason === SessionReason.OWNER_GONE;
  if (state === 'STARTING' || state === 'AUTHENTICATED') return reason === SessionReason.RESTORED_AT_BOOT || reason === SessionReason.HANDED_OVER;
  return false;
}
