import type { InferField } from '../routes/fields';
import type { WEBHOOK_EVENT_STATES, WEBHOOK_EVENT_TYPES, webhookAttemptShape, webhookEventDetailShape, webhookEventSummaryShape } from '../routes/webhooks.routes';

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** pending → first attempt to come; failed → retrying; delivered → a 2xx answer; dead → no more automatic attempts (replayable). */
export type WebhookEventState = (typeof WEBHOOK_EVENT_STATES)[number];

export interface WebhookEventSummary extends InferField<typeof webhookEventSummaryShape> {}
export interface WebhookAttempt extends InferField<typeof webhookAttemptShape> {}
export interface WebhookEventDetail extends InferField<typeof webhookEventDetailShape> {}

export interface GetWebhookEventsDto {
  clientIdentifier?: string;
  page?: number;
  limit?: number;
  order?: 'asc' | 'desc';
  channelId?: string;
  /** Platform slug. */
  platform?: string;
  type?: WebhookEventType;
  state?: WebhookEventState;
  /** Events recorded at or after this time (ISO 8601). */
  since?: string;
}

export interface WebhookEventRefDto {
  clientIdentifier?: string;
  eventId: string;
}

export interface ReplayWebhooksDto {
  clientIdentifier?: string;
  channelId: string;
  /** Platform slug. */
  platform: string;
  /** Replay failed and dead events recorded at or after this time (ISO 8601). */
  since: string;
}

export interface ReplayWebhooksResult {
  replayed: number;
  /** At most 5,000 per call: true means call again. */
  more: boolean;
  eventIds: string[];
}
