import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { Page, PageQuery, pageWindow, toPage } from '../common/pagination/pagination';
import { EventListFilter, WebhookEventsRepository } from './webhook-events.repository';
import type { WebhookAttempt, WebhookEventRecord, WebhookEventState, WebhookEventType, WebhookPayload } from './webhook-event.types';
import { WebhookEndpoints } from './webhook-endpoints';
import { WebhookQueue } from './webhook-queue';
import { WebhookErrorCode } from './webhooks.errors';

/** Most events one bulk replay call re-enqueues; call again for the rest (`more: true`). */
export const MAX_BULK_REPLAY = 5_000;

export interface WebhookEventSummary {
  eventId: string;
  type: WebhookEventType;
  channelId: string;
  platform: string;
  chatId?: string;
  seq?: number;
  state: WebhookEventState;
  attemptCount: number;
  lastStatus?: number;
  lastError?: string;
  nextAttemptAt?: Date;
  deliveredAt?: Date;
  replays: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface WebhookEventDetail extends WebhookEventSummary {
  key: string;
  payload: WebhookPayload;
  attempts: WebhookAttempt[];
}

function summary(e: WebhookEventRecord): WebhookEventSummary {
  return {
    eventId: e.eventId,
    type: e.type,
    channelId: e.channelId,
    platform: e.platform,
    ...(e.chatId ? { chatId: e.chatId, seq: e.seq } : {}),
    state: e.state,
    attemptCount: e.attemptCount,
    ...(e.lastStatus !== undefined ? { lastStatus: e.lastStatus } : {}),
    ...(e.lastError ? { lastError: e.lastError } : {}),
    ...(e.nextAttemptAt ? { nextAttemptAt: e.nextAttemptAt } : {}),
    ...(e.deliveredAt ? { deliveredAt: e.deliveredAt } : {}),
    replays: e.replays,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

/** The delivery log as the API shows it, and replays. */
@Injectable()
export class WebhookLogService {
  constructor(
    private readonly events: WebhookEventsRepository,
    private readonly queue: WebhookQueue,
    private readonly endpoints: WebhookEndpoints,
  ) {}

  async list(clientIdentifier: string, filter: EventListFilter, page: PageQuery): Promise<Page<WebhookEventSummary>> {
    const w = pageWindow(page);
    const { items, total } = await this.events.list(clientIdentifier, filter, w);
    return toPage(items.map(summary), total, w.page, w.limit);
  }

  async get(clientIdentifier: string, eventId: string): Promise<WebhookEventDetail> {
    const e = await this.require(clientIdentifier, eventId);
    return { ...summary(e), key: e.key, payload: JSON.parse(e.body) as WebhookPayload, attempts: e.attempts };
  }

  /** Delivers one event again, whatever its state, with the same id (receivers dedupe on it). */
  async replay(clientIdentifier: string, eventId: string): Promise<WebhookEventSummary> {
    const e = await this.require(clientIdentifier, eventId);
    await this.assertEndpointUsable(clientIdentifier, e.channelId, e.platform);
    if ((await this.queue.state(eventId)) === 'active')
      throw AppError.conflict(WebhookErrorCode.WEBHOOK_EVENT_IN_FLIGHT, `Event ${eventId} is being delivered right now; try again in a moment`);
    await this.events.reopen([eventId]);
    await this.queue.ensure(this.jobOf(e), { promote: true });
    return summary(await this.require(clientIdentifier, eventId));
  }

  /** Every failed or dead event of one endpoint recorded since `since`. */
  async replayFailed(
    clientIdentifier: string,
    channelId: string,
    platform: string,
    since: Date,
  ): Promise<{ replayed: number; more: boolean; eventIds: string[] }> {
    await this.assertEndpointUsable(clientIdentifier, channelId, platform);
    const ids = await this.events.findReplayable(clientIdentifier, channelId, platform, since, MAX_BULK_REPLAY + 1);
    const more = ids.length > MAX_BULK_REPLAY;
    const batch = ids.slice(0, MAX_BULK_REPLAY);
    // Only those still failed or dead: one delivered meanwhile stays delivered.
    await this.events.reopen(batch, ['failed', 'dead']);
    for (const eventId of batch) {
      await this.queue.ensure({ eventId, clientIdentifier, channelId, platform }, { promote: true });
    }
    return { replayed: batch.length, more, eventIds: batch };
  }

  private async require(clientIdentifier: string, eventId: string): Promise<WebhookEventRecord> {
    const e = await this.events.findById(clientIdentifier, eventId);
    if (!e) throw AppError.notFound(WebhookErrorCode.WEBHOOK_EVENT_NOT_FOUND, `Webhook event ${eventId} not found`);
    return e;
  }

  private async assertEndpointUsable(clientIdentifier: string, channelId: string, platform: string): Promise<void> {
    const endpoint = await this.endpoints.get(clientIdentifier, channelId, platform, { fresh: true });
    if (!endpoint)
      throw AppError.unprocessable(WebhookErrorCode.WEBHOOK_ENDPOINT_NOT_FOUND, `Channel ${channelId} has no platform "${platform}"`);
    if (!endpoint.enabled)
      throw AppError.unprocessable(
        WebhookErrorCode.WEBHOOK_ENDPOINT_DISABLED,
        `Platform "${platform}" of channel ${channelId} is disabled; enable it before replaying`,
      );
  }

  private jobOf(e: WebhookEventRecord) {
    return { eventId: e.eventId, clientIdentifier: e.clientIdentifier, channelId: e.channelId, platform: e.platform };
  }
}
