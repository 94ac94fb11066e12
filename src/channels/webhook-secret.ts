import { randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';
/** How long the secret before a rotation stays available to delivery (for a second signature). */
export const SECRET_ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** A Standard Webhooks signing secret: `whsec_` and the base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

/** Enough of a secret to tell two apart, never enough to sign. */
export function secretPreview(secret: string): string {
  return `${secret.slice(0, PREFIX.length + 4)}…`;
}
