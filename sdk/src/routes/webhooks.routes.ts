import { dateTime, int, oneOf, opt, str } from './fields';
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
  }),
  get: route({ name: 'webhooks.events.get', method: 'GET', path: '/webhooks/events/{eventId}', params: eventId }),
  replayEvent: route({
    name: 'webhooks.events.replay',
    method: 'POST',
    path: '/webhooks/events/{eventId}/replay',
    params: eventId,
  }),
  replay: route({
    name: 'webhooks.replay',
    method: 'POST',
    path: '/webhooks/replay',
    body: { channelId: str(), platform: str(), since: dateTime() },
  }),
} as const;
