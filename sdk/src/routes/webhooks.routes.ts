import { arr, bool, dateTime, int, json, num, obj, oneOf, opt, page, str } from './fields';
import { route } from './route';

export const WEBHOOK_EVENT_TYPES = [
  'message.received',
  'message.status',
  'message.revoked',
  'message.edited',
  'message.reaction',
  'group.join',
  'group.leave',
  'session.status',
  'webhook.test',
] as const;
export const WEBHOOK_EVENT_STATES = ['pending', 'failed', 'delivered', 'dead'] as const;

const summaryFields = {
  eventId: str(),
  type: oneOf(WEBHOOK_EVENT_TYPES),
  channelId: str(),
  platform: str(),
  chatId: opt(str()),
  seq: opt(int()),
  state: oneOf(WEBHOOK_EVENT_STATES),
  attemptCount: int(),
  lastStatus: opt(int()),
  lastError: opt(str()),
  nextAttemptAt: opt(dateTime()),
  deliveredAt: opt(dateTime()),
  replays: int(),
  createdAt: dateTime(),
  updatedAt: dateTime(),
} as const;
export const webhookEventSummaryShape = obj(summaryFields);
export const webhookAttemptShape = obj({
  at: dateTime(),
  attempt: int(),
  status: opt(int()),
  latencyMs: num(),
  error: opt(str()),
  outcome: oneOf(['delivered', 'retry', 'throttled', 'dead']),
});
export const webhookEventDetailShape = obj({
  ...summaryFields,
  key: str(),
  /** The exact JSON body the platform receives (signed). */
  payload: json(),
  attempts: arr(webhookAttemptShape),
});

const eventId = { eventId: str() } as const;

export const webhookRoutes = {
  list: route({
    name: 'webhooks.events.list',
    method: 'GET',
    path: '/webhooks/events',
    query: {
      page: opt(int()),
      limit: opt(int()),
      order: opt(oneOf(['asc', 'desc'])),
      channelId: opt(str()),
      platform: opt(str()),
      type: opt(oneOf(WEBHOOK_EVENT_TYPES)),
      state: opt(oneOf(WEBHOOK_EVENT_STATES)),
      since: opt(dateTime()),
    },
    response: page(webhookEventSummaryShape),
  }),
  get: route({ name: 'webhooks.events.get', method: 'GET', path: '/webhooks/events/{eventId}', params: eventId, response: webhookEventDetailShape }),
  replayEvent: route({
    name: 'webhooks.events.replay',
    method: 'POST',
    path: '/webhooks/events/{eventId}/replay',
    params: eventId,
    response: webhookEventSummaryShape,
  }),
  replay: route({
    name: 'webhooks.replay',
    method: 'POST',
    path: '/webhooks/replay',
    body: { channelId: str(), platform: str(), since: dateTime() },
    response: obj({ replayed: int(), more: bool(), eventIds: arr(str()) }),
  }),
} as const;
