import { arr, bool, dateTime, FieldMap, int, json, num, obj, oneOf, opt, page, str } from './fields';
import { route } from './route';

export const MESSAGE_KINDS = ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'revoked', 'other'] as const;
export const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'read', 'played', 'failed', 'received'] as const;

export const messageShape = obj({
  /** Our id: follow, reply to, react to, forward or delete the message with it. */
  id: str(),
  clientIdentifier: str(),
  channelId: str(),
  direction: oneOf(['inbound', 'outbound']),
  waMessageId: opt(str()),
  chatId: str(),
  contactId: opt(str()),
  conversationId: opt(str()),
  isGroup: bool(),
  senderId: opt(str()),
  senderName: opt(str()),
  fromMe: bool(),
  kind: oneOf(MESSAGE_KINDS),
  body: opt(str()),
  caption: opt(str()),
  quotedWaMessageId: opt(str()),
  isForwarded: opt(bool()),
  location: opt(obj({ latitude: num(), longitude: num(), name: opt(str()), address: opt(str()), url: opt(str()) })),
  vcards: opt(arr(str())),
  media: opt(obj({ mediaId: opt(str()), mimetype: str(), filename: opt(str()), size: opt(num()), sha256: opt(str()), voice: opt(bool()) })),
  status: oneOf(MESSAGE_STATUSES),
  statusReason: opt(str()),
  statusTimes: opt(json()),
  revoked: opt(obj({ at: dateTime(), outcome: oneOf(['revoked', 'deleted_for_me']), by: opt(str()) })),
  reactions: opt(arr(obj({ senderId: str(), emoji: str(), at: dateTime() }))),
  agentName: opt(str()),
  platform: opt(str()),
  timestamp: dateTime(),
  createdAt: dateTime(),
  updatedAt: dateTime(),
});

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
  mediaUri: opt(str()),
  caption: opt(str()),
  fileName: opt(str()),
  quotedMessageId: opt(str()),
  showAgentName: opt(bool()),
} as const;
const quoted = { quotedMessageId: opt(str()) } as const;
const send = <const N extends string, const B extends FieldMap>(name: N, body: B) =>
  route({ name: `messages.${name}`, method: 'POST', path: `/messages/${name}`, body, response: messageShape });

export const messageRoutes = {
  send: route({
    name: 'messages.send',
    method: 'POST',
    path: '/messages/send',
    body: { ...content, agentName: str(), sessionId: str() },
    response: messageShape,
  }),
  group: route({
    name: 'messages.group',
    method: 'POST',
    path: '/messages/group',
    body: { ...content, agentName: opt(str()), channelId: str(), recipientNumber: str(), platform: str() },
    response: messageShape,
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
    response: obj({ state: oneOf(['done', 'queued']), message: messageShape, emoji: str() }),
  }),
  delete: route({
    name: 'messages.delete',
    method: 'POST',
    path: '/messages/delete',
    body: { messageId: str(), senderId: str(), channelSlug: str() },
    response: obj({ outcome: oneOf(['revoked', 'queued']), message: messageShape }),
  }),
  interactive: route({
    name: 'messages.interactive',
    method: 'POST',
    path: '/messages/interactive',
    body: {
      ...target,
      type: oneOf(['button', 'list']),
      header: opt(str()),
      body: str(),
      footer: opt(str()),
      buttons: opt(arr(obj({ id: str(), title: str() }))),
      buttonText: opt(str()),
      sections: opt(arr(obj({ title: opt(str()), rows: arr(obj({ id: str(), title: str(), description: opt(str()) })) }))),
    },
  }),
  locationRequest: route({ name: 'messages.locationRequest', method: 'POST', path: '/messages/location-request', body: { ...target, text: str() } }),
  get: route({ name: 'messages.get', method: 'GET', path: '/messages/{id}', params: { id: str() }, response: messageShape }),
  retry: route({ name: 'messages.retry', method: 'POST', path: '/messages/{messageId}/retry', params: { messageId: str() }, response: messageShape }),
  ofConversation: route({
    name: 'conversations.messages',
    method: 'GET',
    path: '/conversations/{id}/messages',
    params: { id: str() },
    query: { page: opt(int()), limit: opt(int()), order: opt(oneOf(['asc', 'desc'])) },
    response: page(messageShape),
  }),
  ofContact: route({
    name: 'contacts.messages',
    method: 'GET',
    path: '/contacts/{contactId}/messages',
    params: { contactId: str() },
    query: { page: opt(int()), limit: opt(int()), order: opt(oneOf(['asc', 'desc'])) },
    response: page(messageShape),
  }),
} as const;
