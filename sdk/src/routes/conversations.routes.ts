import { bool, dateTime, int, obj, oneOf, opt, page, str } from './fields';
import { route } from './route';
import { MESSAGE_SERVICES } from './channels.routes';

const conversationFields = {
  id: str(),
  /** Same as id: what messages are sent to. */
  sessionId: str(),
  clientIdentifier: str(),
  service: str(),
  channelId: str(),
  platformConfigId: str(),
  contactId: str(),
  clientProviderId: str(),
  chatId: str(),
  isGroup: bool(),
  platform: str(),
  userName: opt(str()),
  companyName: opt(str()),
  sessionWithPriority: bool(),
  status: oneOf(['open', 'ended']),
  endedAt: opt(dateTime()),
  createdAt: dateTime(),
  updatedAt: dateTime(),
} as const;
export const conversationShape = obj(conversationFields);
export const startedConversationShape = obj({ ...conversationFields, created: bool() });

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
    response: startedConversationShape,
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
    response: page(conversationShape),
  }),
  get: route({ name: 'conversations.get', method: 'GET', path: '/conversations/{id}', params: id, response: conversationShape }),
  end: route({ name: 'conversations.end', method: 'POST', path: '/conversations/{id}/end', params: id, response: conversationShape }),
} as const;
