import { arr, bool, FieldMap, int, jsonObject, num, obj, oneOf, opt, str } from './fields';
import { route } from './route';

/** Where a message of another kind goes: a conversation (`sessionId`), or a group (`channelId` + `recipientNumber` + `platform`). */
const target = {
  sessionId: opt(str()),
  channelId: opt(str()),
  recipientNumber: opt(str()),
  platform: opt(str()),
  agentName: opt(str()),
} as const;
const content = {
  text: opt(str()),
  linkPreview: opt(bool()),
  mediaUri: opt(str()),
  caption: opt(str()),
  fileName: opt(str()),
  quotedMessageId: opt(str()),
  showAgentName: opt(bool()),
} as const;
const quoted = { quotedMessageId: opt(str()) } as const;
const send = <const N extends string, const B extends FieldMap>(name: N, body: B) =>
  route({ name: `messages.${name}`, method: 'POST', path: `/messages/${name}`, body });

export const messageRoutes = {
  send: route({
    name: 'messages.send',
    method: 'POST',
    path: '/messages/send',
    body: { ...content, agentName: str(), sessionId: str() },
  }),
  group: route({
    name: 'messages.group',
    method: 'POST',
    path: '/messages/group',
    body: { ...content, agentName: opt(str()), channelId: str(), recipientNumber: str(), platform: str() },
  }),
  sticker: send('sticker', { ...target, ...quoted, mediaUri: str() }),
  contacts: send('contacts', {
    ...target,
    ...quoted,
    contacts: arr(obj({ name: str(), phone: str(), organization: opt(str()), email: opt(str()) })),
  }),
  location: send('location', { ...target, ...quoted, latitude: num(), longitude: num(), name: opt(str()), url: opt(str()) }),
  address: send('address', { ...target, ...quoted, latitude: num(), longitude: num(), name: str(), address: str(), url: opt(str()) }),
  forward: send('forward', { ...target, messageId: str() }),
  reaction: route({
    name: 'messages.reaction',
    method: 'POST',
    path: '/messages/reaction',
    body: { ...target, messageId: str(), emoji: str() },
  }),
  delete: route({
    name: 'messages.delete',
    method: 'POST',
    path: '/messages/delete',
    body: { messageId: str(), senderId: str(), channelSlug: str() },
  }),
  interactive: send('interactive', {
    ...target,
    ...quoted,
    type: oneOf(['button', 'list', 'cta_url']),
    header: opt(str()),
    body: str(),
    footer: opt(str()),
    buttons: opt(arr(obj({ id: str(), title: str() }))),
    buttonText: opt(str()),
    sections: opt(arr(obj({ title: opt(str()), rows: arr(obj({ id: str(), title: str(), description: opt(str()) })) }))),
    displayText: opt(str()),
    url: opt(str()),
  }),
  locationRequest: route({
    name: 'messages.locationRequest',
    method: 'POST',
    path: '/messages/location-request',
    body: { ...target, ...quoted, text: str() },
  }),
  template: send('template', { ...target, name: str(), language: str(), components: opt(arr(jsonObject())) }),
  templates: route({
    name: 'templates.list',
    method: 'GET',
    path: '/channels/{channelId}/templates',
    params: { channelId: str() },
    query: { status: opt(str()) },
  }),
  get: route({ name: 'messages.get', method: 'GET', path: '/messages/{id}', params: { id: str() } }),
  retry: route({ name: 'messages.retry', method: 'POST', path: '/messages/{messageId}/retry', params: { messageId: str() } }),
  markRead: route({ name: 'messages.markRead', method: 'POST', path: '/messages/{messageId}/read', params: { messageId: str() } }),
  ofConversation: route({
    name: 'conversations.messages',
    method: 'GET',
    path: '/conversations/{id}/messages',
    params: { id: str() },
    query: { page: opt(int()), limit: opt(int()), order: opt(oneOf(['asc', 'desc'])) },
  }),
  ofContact: route({
    name: 'contacts.messages',
    method: 'GET',
    path: '/contacts/{contactId}/messages',
    params: { contactId: str() },
    query: { page: opt(int()), limit: opt(int()), order: opt(oneOf(['asc', 'desc'])) },
  }),
} as const;
