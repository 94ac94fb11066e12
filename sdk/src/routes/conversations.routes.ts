import { bool, int, oneOf, opt, str } from './fields';
import { route } from './route';
import { MESSAGE_SERVICES } from './channels.routes';

const id = { id: str() } as const;

export const conversationRoutes = {
  start: route({
    name: 'conversations.start',
    method: 'POST',
    path: '/conversations/start/{service}',
    params: { service: oneOf(MESSAGE_SERVICES) },
    body: {
      platformConfigId: str(),
      channelId: str(),
      clientProviderId: str(),
      userName: opt(str()),
      companyName: str(),
      platform: opt(str()),
      sessionWithPriority: opt(bool()),
    },
  }),
  list: route({
    name: 'conversations.list',
    method: 'GET',
    path: '/conversations',
    query: {
      page: opt(int()),
      limit: opt(int()),
      order: opt(oneOf(['asc', 'desc'])),
      channelId: opt(str()),
      contactId: opt(str()),
      platform: opt(str()),
      status: opt(oneOf(['open', 'ended'])),
    },
  }),
  get: route({ name: 'conversations.get', method: 'GET', path: '/conversations/{id}', params: id }),
  end: route({ name: 'conversations.end', method: 'POST', path: '/conversations/{id}/end', params: id }),
} as const;
