import type * as Api from '../generated';
import type { OperationInput } from '../routes/operation-input';

export type WebhookEventType = Api.WebhookEventSummaryResponse['type'];
/** pending → first attempt to come; failed → retrying; delivered → a 2xx answer; dead → no more automatic attempts (replayable). */
export type WebhookEventState = Api.WebhookEventSummaryResponse['state'];

export interface WebhookEventSummary extends Api.WebhookEventSummaryResponse {}
export interface WebhookAttempt extends Api.WebhookAttemptResponse {}
export interface WebhookEventDetail extends Api.WebhookEventDetailResponse {}

export type GetWebhookEventsDto = OperationInput<'GET /webhooks/events'>;

export type WebhookEventRefDto = OperationInput<'GET /webhooks/events/{eventId}'>;

export type ReplayWebhooksDto = OperationInput<'POST /webhooks/replay'>;

/** `more: true` (at most 5,000 per call): call again. */
export interface ReplayWebhooksResult extends Api.WebhookBulkReplayResponse {}
