import { createHash } from 'node:crypto';
import type { SessionStatus } from './channel-session';
import type { SessionStatusView } from './session-manager';

/** The public shape of a session's status (never the QR text itself). */
export function statusResponse(view: SessionStatusView) {
  return {
    channelId: view.channelId,
    state: view.state,
    ...(view.reason ? { reason: view.reason } : {}),
    ...(view.me ? { me: view.me } : {}),
    ...(view.pushname ? { pushname: view.pushname } : {}),
    linked: view.linked,
    autoStart: view.autoStart,
    qrAvailable: view.state === 'QR' && !!view.qr,
    ...(view.qrExpiresAt ? { qrExpiresAt: view.qrExpiresAt } : {}),
    ...(view.retryAt ? { retryAt: view.retryAt } : {}),
    ...(view.lastReadyAt ? { lastReadyAt: view.lastReadyAt } : {}),
    owner: view.owner,
    updatedAt: view.updatedAt,
  };
}

/** A short fingerprint of a QR, so a page knows when to fetch the image again. */
export function qrRevision(qr: string | undefined): string | undefined {
  return qr ? createHash('sha256').update(qr).digest('base64url').slice(0, 12) : undefined;
}

/** One SSE `status` event: the status, plus the QR text when `withQrText` (authenticated API only). */
export function streamEvent(status: SessionStatus, withQrText: boolean) {
  return {
    channelId: status.channelId,
    state: status.state,
    ...(status.reason ? { reason: status.reason } : {}),
    ...(status.me ? { me: status.me } : {}),
    linked: status.linked,
    ...(status.state === 'QR' && status.qr ? { qrRevision: qrRevision(status.qr) } : {}),
    ...(withQrText && status.state === 'QR' && status.qr ? { qr: status.qr } : {}),
    ...(status.qrExpiresAt ? { qrExpiresAt: status.qrExpiresAt } : {}),
    ...(status.pairingCode ? { pairingCode: status.pairingCode } : {}),
    ...(status.retryAt ? { retryAt: status.retryAt } : {}),
    updatedAt: status.updatedAt,
  };
}
