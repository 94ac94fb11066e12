import { createHash } from 'node:crypto';

export const WEBHOOKS_QUEUE = 'webhooks';
export const DELIVER_JOB = 'deliver';

/**
 * The public event id (`webhook-id`, BullMQ job id): derived from the readable dedupe key so
 * the same WhatsApp event always maps to the same id. Hashed because BullMQ job ids may not
 * contain ':' and WhatsApp ids are long and awkward in URLs.
 */
export function eventIdFor(key: string): string {
  return `evt_${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

export const EVENT_ID_PATTERN = /^evt_[0-9a-f]{32}$/;
