import { ApiBase } from '../core/api-base';
import { assertShape, RouteInput, SameShape } from '../routes/route';
import { webhookRoutes as r } from '../routes/webhooks.routes';
import type { Page } from '../types/common';
import type { GetWebhookEventsDto, ReplayWebhooksDto, ReplayWebhooksResult, WebhookEventDetail, WebhookEventRefDto, WebhookEventSummary } from '../types/webhooks';

/** The webhook delivery log and replays (beyond the guide). */
export class WebhookApi extends ApiBase {
  /** Events of the account, newest first by default, with their delivery state. */
  getEvents(payload: GetWebhookEventsDto = {}): Promise<Page<WebhookEventSummary>> {
    return this.client.call(r.list, payload);
  }

  /** One event: the exact payload sent and every delivery attempt. */
  getEvent(payload: WebhookEventRefDto): Promise<WebhookEventDetail> {
    return this.client.call(r.get, payload);
  }

  /** Delivers one event again with the same webhook-id, whatever its state. */
  replayEvent(payload: WebhookEventRefDto): Promise<WebhookEventSummary> {
    return this.client.call(r.replayEvent, payload);
  }

  /** Delivers again every failed or dead event of one platform endpoint recorded since a time. */
  replay(payload: ReplayWebhooksDto): Promise<ReplayWebhooksResult> {
    return this.client.call(r.replay, payload);
  }
}

assertShape<SameShape<GetWebhookEventsDto, RouteInput<typeof r.list>>>();
assertShape<SameShape<WebhookEventRefDto, RouteInput<typeof r.get>>>();
assertShape<SameShape<ReplayWebhooksDto, RouteInput<typeof r.replay>>>();
