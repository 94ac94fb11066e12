import { Injectable, MessageEvent } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { filter, interval, map, merge, Observable, takeUntil } from 'rxjs';
import { ChannelsService } from '../channels/channels.service';
import { AppError } from '../common/errors/app-error';
import { DomainEventName } from '../common/events/domain-events';
import { WebhookOutbox } from '../webhooks/webhook-outbox.service';
import { ChannelProviders } from '../providers/channel-providers';
import { SessionStatusBus } from '../whatsapp/sessions/session-status-bus';
import { streamEvent } from '../whatsapp/sessions/session-views';
import { ConsoleReadRepository } from './console-read.repository';
import { attemptStats, bucketStarts, byBucket, WindowName, WINDOWS } from './console-stats';

const FAILING_STATES = new Set(['FAILED', 'DISCONNECTED', 'LOGGED_OUT']);

/** The console's own reads and the one action no API had (a test event), over existing services. */
@Injectable()
export class ConsoleService {
  constructor(
    private readonly channels: ChannelsService,
    private readonly sessions: ChannelProviders,
    private readonly bus: SessionStatusBus,
    private readonly outbox: WebhookOutbox,
    private readonly read: ConsoleReadRepository,
  ) {}

  accounts(): Promise<string[]> {
    return this.read.accounts();
  }

  /** Every channel of the account with its session state, last error, queue and last traffic. */
  async channelRows(clientIdentifier: string) {
    const channels = await this.channels.list(clientIdentifier);
    return Promise.all(
      channels.map(async (c) => {
        const [session, activity] = await Promise.all([this.sessions.getStatus(clientIdentifier, c.id), this.read.activity(clientIdentifier, c.id)]);
        return {
          id: c.id,
          service: c.service,
          number: c.provider.clientNumber,
          companyId: c.provider.companyId,
          description: c.description,
          platforms: c.platforms,
          state: session.state,
          reason: session.reason,
          me: session.me,
          stateSince: session.updatedAt,
          ...(FAILING_STATES.has(session.state) && session.reason ? { lastError: session.reason } : {}),
          queueDepth: activity.queued + activity.sending,
          queued: activity.queued,
          sending: activity.sending,
          failedSends: activity.failed,
          lastInboundAt: activity.lastInboundAt,
          lastOutboundAt: activity.lastOutboundAt,
        };
      }),
    );
  }

  /** Session changes of every channel of the account: the SSE behind the live Channels page. */
  sessionEvents(clientIdentifier: string): Observable<MessageEvent> {
    const changes = this.bus.changes().pipe(
      filter((n) => n.status.clientIdentifier === clientIdentifier),
      map((n): MessageEvent => ({ type: 'status', data: streamEvent(n.status, false) })),
    );
    const heartbeat = interval(15_000).pipe(map((): MessageEvent => ({ comment: 'ping' })));
    return merge(changes, heartbeat).pipe(takeUntil(this.bus.shutdown()));
  }

  async recentMessages(clientIdentifier: string, channelId: string, limit: number) {
    await this.channels.getById(clientIdentifier, channelId);
    return this.read.recentMessages(clientIdentifier, channelId, limit);
  }

  /** Records a `webhook.test` event for one endpoint: it goes through the same queue, signing and log as any event. */
  async sendTestEvent(clientIdentifier: string, channelId: string, slug: string, note?: string) {
    const channel = await this.channels.getById(clientIdentifier, channelId);
    if (!channel.platforms.some((p) => p.slug === slug))
      throw AppError.notFound('PLATFORM_NOT_FOUND', `Channel ${channelId} has no platform "${slug}"`);
    const requestedAt = new Date().toISOString();
    return this.outbox.record({
      key: `${channelId}:${DomainEventName.WebhookTest}:${randomBytes(8).toString('hex')}:${slug}`,
      clientIdentifier,
      channelId,
      platform: slug,
      type: DomainEventName.WebhookTest,
      data: { test: true, requestedAt, ...(note ? { note } : {}) },
    });
  }

  /** Per endpoint: success rate and p50/p99 latency of attempts over the window, overall and per bucket. */
  async endpointHealth(clientIdentifier: string, window: WindowName, channelId?: string) {
    const now = Date.now();
    const { span, bucket } = WINDOWS[window];
    const [rows, channels] = await Promise.all([
      this.read.attempts(clientIdentifier, new Date(now - span), channelId),
      this.channels.list(clientIdentifier),
    ]);
    const starts = bucketStarts(now, window);
    const endpoints = channels
      .filter((c) => !channelId || c.id === channelId)
      .flatMap((c) =>
        c.platforms.map((p) => {
          const mine = rows.filter((r) => r.channelId === c.id && r.platform === p.slug);
          return {
            channelId: c.id,
            number: c.provider.clientNumber,
            platform: p.slug,
            callbackUrl: p.callbackUrl,
            enabled: p.enabled,
            ...(p.disabledReason ? { disabledReason: p.disabledReason } : {}),
            ...attemptStats(mine),
            series: byBucket(mine, (r) => r.at.getTime(), starts, bucket).map((b, i) => ({ t: starts[i], ...attemptStats(b) })),
          };
        }),
      );
    return { window, bucketMs: bucket, endpoints };
  }

  /** Sends and inbound per bucket, webhook success and latency per bucket, sessions by state. */
  async overview(clientIdentifier: string, window: WindowName) {
    const now = Date.now();
    const { span, bucket } = WINDOWS[window];
    const since = new Date(now - span);
    const [messages, attempts, rows] = await Promise.all([
      this.read.messageTimes(clientIdentifier, since),
      this.read.attempts(clientIdentifier, since),
      this.channelRows(clientIdentifier),
    ]);
    const starts = bucketStarts(now, window);
    const msgBuckets = byBucket(messages, (m) => new Date(m.createdAt).getTime(), starts, bucket);
    const hookBuckets = byBucket(attempts, (a) => a.at.getTime(), starts, bucket);
    const sessionsByState: Record<string, number> = {};
    for (const r of rows) sessionsByState[r.state] = (sessionsByState[r.state] ?? 0) + 1;
    return {
      window,
      bucketMs: bucket,
      series: starts.map((t, i) => ({
        t,
        sends: msgBuckets[i].filter((m) => m.direction === 'outbound').length,
        inbound: msgBuckets[i].filter((m) => m.direction === 'inbound').length,
        ...attemptStats(hookBuckets[i]),
      })),
      webhooks: attemptStats(attempts),
      sessionsByState,
      queueDepth: rows.reduce((n, r) => n + r.queueDepth, 0),
    };
  }

  /** Send queues per channel and the latest failed sends with their reasons. */
  async outbound(clientIdentifier: string) {
    const rows = await this.channelRows(clientIdentifier);
    const failed = await this.read.failedSends(clientIdentifier, 50);
    return {
      channels: rows.map((r) => ({ id: r.id, number: r.number, state: r.state, waiting: r.queued, active: r.sending, failed: r.failedSends })),
      failed,
    };
  }
}
