import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WEBHOOK_EVENT_STATES, WEBHOOK_EVENT_TYPES, WEBHOOK_PAYLOAD_VERSION } from '../webhook-event.types';

/**
 * What the delivery log and replay routes answer (WebhookLogService's WebhookEventSummary,
 * WebhookEventDetail and replay results), for Swagger. Optional fields are left out when unset.
 */

const EVENT_ID = { example: 'evt_3f1c0e9a4b7d2c5e8f0a1b2c3d4e5f60', description: 'Same as the `webhook-id` header of every delivery' };

export class WebhookEventSummaryResponse {
  @ApiProperty(EVENT_ID) eventId!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, example: 'message.received' }) type!: string;
  @ApiProperty({ example: '64ef5c84f9deb1326965919e' }) channelId!: string;
  @ApiProperty({ example: 'karoochat', description: 'Slug of the platform endpoint it goes to' }) platform!: string;
  @ApiPropertyOptional({ example: '5521999999999@c.us', description: 'Absent for channel events (session.status)' }) chatId?: string;
  @ApiPropertyOptional({ example: 1042, description: "The event's position in its chat (with chatId)" }) seq?: number;
  @ApiProperty({
    enum: WEBHOOK_EVENT_STATES,
    description: 'pending: waiting for an attempt; failed: a retry is due at nextAttemptAt; delivered: a 2xx; dead: no more automatic attempts (replayable)',
  })
  state!: string;
  @ApiProperty({ example: 1, description: 'HTTP attempts so far, replays included' }) attemptCount!: number;
  @ApiPropertyOptional({ example: 502, description: 'HTTP status of the last attempt that got an answer' }) lastStatus?: number;
  @ApiPropertyOptional({ example: 'HTTP 502: Bad Gateway' }) lastError?: string;
  @ApiPropertyOptional({ description: 'When the next attempt is due (failed events)' }) nextAttemptAt?: Date;
  @ApiPropertyOptional() deliveredAt?: Date;
  @ApiProperty({ example: 0, description: 'Replays requested through the API' }) replays!: number;
  @ApiProperty({ description: 'When the event was recorded' }) createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}

export class WebhookEventPageResponse {
  @ApiProperty({ type: [WebhookEventSummaryResponse] }) data!: WebhookEventSummaryResponse[];
  @ApiProperty({ example: 1 }) page!: number;
  @ApiProperty({ example: 30 }) limit!: number;
  @ApiProperty({ example: 17 }) total!: number;
  @ApiProperty({ example: 1 }) totalPages!: number;
}

export class WebhookAttemptResponse {
  @ApiProperty({ example: 1, description: '1-based over the event’s whole life (replays continue the count)' }) attempt!: number;
  @ApiProperty() at!: Date;
  @ApiPropertyOptional({ example: 502, description: 'Absent when no answer came (timeout, refused connection)' }) status?: number;
  @ApiProperty({ example: 231 }) latencyMs!: number;
  @ApiPropertyOptional({ example: 'HTTP 502: Bad Gateway' }) error?: string;
  @ApiProperty({ enum: ['delivered', 'retry', 'throttled', 'dead'] }) outcome!: string;
}

class WebhookChatResponse {
  @ApiProperty({ example: '5521999999999@c.us' }) id!: string;
  @ApiProperty({ example: 1042 }) seq!: number;
}

/** The signed body, as sent (see docs/webhooks.md, "The payload (version 1)"). */
export class WebhookPayloadResponse {
  @ApiProperty({ enum: [WEBHOOK_PAYLOAD_VERSION], example: WEBHOOK_PAYLOAD_VERSION }) version!: number;
  @ApiProperty(EVENT_ID) id!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, example: 'message.received' }) type!: string;
  @ApiProperty({ example: '2026-01-31T14:03:12.512Z' }) createdAt!: string;
  @ApiProperty({ example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34' }) clientIdentifier!: string;
  @ApiProperty({ example: '64ef5c84f9deb1326965919e' }) channelId!: string;
  @ApiProperty({ example: 'karoochat' }) platform!: string;
  @ApiProperty({ type: WebhookChatResponse, nullable: true, description: 'Null for channel events (session.status)' }) chat!: WebhookChatResponse | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Per event type (docs/webhooks.md, "Event types")' })
  data!: Record<string, unknown>;
}

export class WebhookEventDetailResponse extends WebhookEventSummaryResponse {
  @ApiProperty({ example: '64ef5c84f9deb1326965919e:message.received:false_5521999999999@c.us_3EB0C767D26A1D4E5A2E', description: 'Readable dedupe key the id derives from' })
  key!: string;
  @ApiProperty({ type: WebhookPayloadResponse }) payload!: WebhookPayloadResponse;
  @ApiProperty({ type: [WebhookAttemptResponse], description: 'Oldest first' }) attempts!: WebhookAttemptResponse[];
}

export class WebhookBulkReplayResponse {
  @ApiProperty({ example: 17, description: 'Events put back on the queue by this call' }) replayed!: number;
  @ApiProperty({ example: false, description: 'true: more failed or dead events remain; call again' }) more!: boolean;
  @ApiProperty({ type: [String], example: ['evt_3f1c0e9a4b7d2c5e8f0a1b2c3d4e5f60'], description: 'Oldest first' }) eventIds!: string[];
}
