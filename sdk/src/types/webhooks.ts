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

/**
 * The JSON body a platform's `callbackUrl` receives (Standard Webhooks, signed), by `type`. The same
 * whatever the channel's service; official-API channels add the fields below where they know more.
 */
export type WebhookPayload = Api.Webhooks['body'];
export type WebhookMessageReceivedPayload = Api.WebhookMessageReceived;
export type WebhookMessageStatusPayload = Api.WebhookMessageStatus;

/** The message of a `message.received` event. */
export type WebhookMessage = Api.WebhookMessage;

/**
 * `message.received` on an official-API channel, when the customer tapped a reply button or a list row:
 * the message is `kind: 'text'` with the title as `body`, and `interactiveReply` says which one (its `id`).
 */
export type WebhookInteractiveReply = NonNullable<Api.WebhookMessage['interactiveReply']>;

/** `message.status` on an official-API channel: Meta's conversation category (`service`, `utility`, `marketing`…) and whether it is billed. */
export type WebhookPricing = NonNullable<Api.WebhookMessageStatus['data']['pricing']>;

/** `message.status` `failed` on an official-API channel: Meta's error (`code` 131047, 131026…), besides the stable `reason`. */
export type WebhookProviderError = NonNullable<Api.WebhookMessageStatus['data']['providerError']>;
