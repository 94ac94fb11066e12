import { WEBHOOK_EVENT_TYPES, WebhookEventType } from '../webhooks/webhook-event.types';
import { OpenApiDocument } from './openapi-types';

/**
 * The webhook payloads (docs/webhooks.md, "The payload"), described in the document itself: one
 * OpenAPI 3.1 `webhooks` entry per event type, each body a `Webhook…` schema in components.
 * WEBHOOK_EVENT_TYPES is the list: a new type without a `data` schema here fails the build (the Record below).
 */
type Schema = Record<string, unknown>;
const str = (description?: string, extra: Schema = {}): Schema => ({ type: 'string', ...(description ? { description } : {}), ...extra });
const dateTime = (description?: string) => str(description, { format: 'date-time' });
const obj = (properties: Record<string, Schema>, required: string[]): Schema => ({ type: 'object', properties, required });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const SESSION_STATES = ['STOPPED', 'STARTING', 'QR', 'AUTHENTICATED', 'READY', 'DISCONNECTED', 'FAILED', 'LOGGED_OUT'];
const MESSAGE_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'read', 'played', 'failed'];

const SHARED: Record<string, Schema> = {
  WebhookMessage: obj(
    {
      id: str('Our message id'),
      waMessageId: str('WhatsApp’s id'),
      providerMessageId: str('The same id under its provider-neutral name (a Cloud API wamid on official-API channels)'),
      chatId: str('`…@c.us` for a person, `…@g.us` for a group'),
      isGroup: { type: 'boolean' },
      fromMe: { type: 'boolean', description: 'Sent from the linked phone' },
      sender: obj({ id: str(), name: str() }, ['id']),
      timestamp: dateTime(),
      kind: str(undefined, { enum: ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'interactive', 'template', 'revoked', 'other'] }),
      body: str('kind text'),
      caption: str('media kinds'),
      quotedWaMessageId: str(),
      isForwarded: { type: 'boolean' },
      mentions: { type: 'array', items: str(), description: 'WhatsApp ids the message @-mentions; absent when none' },
      media: obj(
        {
          url: str('Signed link, valid for WEBHOOK_MEDIA_URL_TTL_SECONDS; absent when the download failed', { format: 'uri' }),
          urlExpiresAt: dateTime(),
          mimetype: str(),
          filename: str(),
          size: { type: 'integer' },
          sha256: str(),
          error: str('MEDIA_DOWNLOAD_FAILED when WhatsApp would not give the file'),
        },
        [],
      ),
      location: obj({ latitude: { type: 'number' }, longitude: { type: 'number' }, name: str(), address: str() }, ['latitude', 'longitude']),
      vcards: { type: 'array', items: str('vCard 3.0') },
      interactiveReply: obj(
        { type: str('Official API: which kind of reply', { enum: ['button_reply', 'list_reply'] }), id: str('The id given to the button or row'), title: str(), description: str() },
        ['type', 'id', 'title'],
      ),
    },
    ['id', 'waMessageId', 'chatId', 'isGroup', 'fromMe', 'timestamp', 'kind'],
  ),
  WebhookContact: obj(
    {
      id: str(),
      contactIdentifier: str('Digits for a person, the group id for a group'),
      type: str(undefined, { enum: ['individual', 'group'] }),
      name: str(),
      tagIds: { type: 'array', items: str() },
      platform: str(),
    },
    ['id', 'contactIdentifier', 'type'],
  ),
};

const DATA: Record<WebhookEventType, { name: string; summary: string; data: Schema; chat: boolean }> = {
  'message.received': {
    name: 'WebhookMessageReceived',
    summary: 'A message arrived (or was sent from the linked phone: fromMe)',
    chat: true,
    data: obj({ message: ref('WebhookMessage'), contact: ref('WebhookContact'), conversationId: str() }, ['message', 'contact']),
  },
  'message.status': {
    name: 'WebhookMessageStatus',
    summary: 'One of our messages moved (queued → sending → sent → delivered → read → played, or failed)',
    chat: true,
    data: obj(
      {
        messageId: str(),
        waMessageId: str(),
        providerMessageId: str('waMessageId under its provider-neutral name'),
        chatId: str(),
        direction: str(undefined, { enum: ['outbound', 'inbound'] }),
        status: str(undefined, { enum: MESSAGE_STATUSES }),
        previousStatus: str(undefined, { enum: MESSAGE_STATUSES }),
        reason: str('Why it failed'),
        contactId: str(),
        conversationId: str(),
        at: dateTime(),
        pricing: obj({ category: str('Official API: Meta’s conversation category (service, utility, marketing, authentication…)'), billable: { type: 'boolean' } }, ['category']),
        providerError: obj({ code: { type: 'integer' }, title: str(), details: str() }, ['code', 'title']),
      },
      ['messageId', 'chatId', 'status', 'at'],
    ),
  },
  'message.revoked': {
    name: 'WebhookMessageRevoked',
    summary: 'A message was deleted for everyone',
    chat: true,
    data: obj(
      { messageId: str(), waMessageId: str(), chatId: str(), outcome: str(undefined, { enum: ['revoked'] }), fromMe: { type: 'boolean' }, by: str(), revokedAt: dateTime(), conversationId: str() },
      ['waMessageId', 'chatId', 'outcome', 'fromMe', 'revokedAt'],
    ),
  },
  'message.edited': {
    name: 'WebhookMessageEdited',
    summary: 'The sender edited a message',
    chat: true,
    data: obj({ messageId: str(), waMessageId: str(), chatId: str(), body: str(), previousBody: str(), senderId: str(), editedAt: dateTime(), conversationId: str() }, ['waMessageId', 'chatId', 'body', 'editedAt']),
  },
  'message.reaction': {
    name: 'WebhookMessageReaction',
    summary: 'Someone reacted to a message (removed: the reaction was taken back)',
    chat: true,
    data: obj(
      { messageId: str(), waMessageId: str(), chatId: str(), senderId: str(), emoji: str('Empty when removed'), removed: { type: 'boolean' }, timestamp: dateTime(), conversationId: str() },
      ['waMessageId', 'chatId', 'senderId', 'emoji', 'removed', 'timestamp'],
    ),
  },
  'group.join': {
    name: 'WebhookGroupJoin',
    summary: 'Members joined a group',
    chat: true,
    data: obj(
      { groupId: str(), participants: { type: 'array', items: str() }, by: str(), subtype: str('add or invite'), contact: ref('WebhookContact') },
      ['groupId', 'participants', 'subtype'],
    ),
  },
  'group.leave': {
    name: 'WebhookGroupLeave',
    summary: 'Members left or were removed from a group',
    chat: true,
    data: obj(
      { groupId: str(), participants: { type: 'array', items: str() }, by: str(), subtype: str('remove or leave'), contact: ref('WebhookContact') },
      ['groupId', 'participants', 'subtype'],
    ),
  },
  'session.status': {
    name: 'WebhookSessionStatus',
    summary: 'The channel’s WhatsApp session changed state',
    chat: false,
    data: obj(
      { state: str(undefined, { enum: SESSION_STATES }), previousState: str(undefined, { enum: SESSION_STATES }), reason: str(), qr: { type: 'boolean', description: 'A QR is on screen (the text itself: GET /channels/{channelId}/session/qr)' }, me: str(), at: dateTime() },
      ['state', 'at'],
    ),
  },
  'webhook.test': {
    name: 'WebhookTest',
    summary: 'A test event sent on request (the console’s “send test event”)',
    chat: false,
    data: obj({ test: { type: 'boolean', enum: [true] }, requestedAt: dateTime(), note: str() }, ['test', 'requestedAt']),
  },
};

/** The envelope every event shares, with `type` and `data` narrowed per event. */
function payload(type: WebhookEventType, data: Schema, chat: boolean): Schema {
  return obj(
    {
      version: { type: 'integer', enum: [1] },
      id: str('Same as the webhook-id header; stable across retries and replays: dedupe on it', { example: 'evt_3f1c0e9a4b7d2c5e8f0a1b2c3d4e5f60' }),
      type: str(undefined, { enum: [type] }),
      createdAt: dateTime('When the event was recorded'),
      clientIdentifier: str(),
      channelId: str(),
      platform: str('Slug of the platform endpoint this copy goes to'),
      chat: chat
        ? obj({ id: str(), seq: { type: 'integer', description: 'Strictly increasing per chat; gaps are possible' } }, ['id', 'seq'])
        : { type: 'null', description: 'Channel events have no chat' },
      data,
    },
    ['version', 'id', 'type', 'createdAt', 'clientIdentifier', 'channelId', 'platform', 'chat', 'data'],
  );
}

const HEADERS = [
  { name: 'webhook-id', description: 'The event id (`evt_` + 32 hex), the same on every retry and replay' },
  { name: 'webhook-timestamp', description: 'Unix seconds of this attempt' },
  { name: 'webhook-signature', description: '`v1,<base64 HMAC-SHA256(secret, "<id>.<timestamp>.<body>")>` (Standard Webhooks); two during a secret rotation' },
].map((h) => ({ ...h, in: 'header', required: true, schema: { type: 'string' } }));

/** What the receiver answers is not read: only its status counts. */
const IGNORED = { '*/*': { schema: { description: 'Any body; the server does not read it' } } };

/** Adds the payload schemas to components and one `webhooks` entry per event type (OpenAPI 3.1). */
export function applyWebhookSchemas(doc: OpenApiDocument): void {
  const schemas = (doc.components!.schemas ??= {}) as Record<string, unknown>;
  Object.assign(schemas, SHARED);
  const webhooks: Record<string, unknown> = {};
  for (const type of WEBHOOK_EVENT_TYPES) {
    const { name, summary, data, chat } = DATA[type];
    schemas[name] = payload(type, data, chat);
    webhooks[type] = {
      post: {
        operationId: `webhooks.on${name.replace(/^Webhook/, '')}`,
        summary: `${type}: ${summary}`,
        description: 'POSTed to each enabled platform endpoint of the channel, signed with the endpoint’s secret. See docs/webhooks.md.',
        tags: ['Webhooks'],
        security: [],
        parameters: HEADERS,
        requestBody: { required: true, content: { 'application/json': { schema: ref(name) } } },
        responses: {
          '200': { description: 'Any 2xx: delivered', content: IGNORED },
          '410': { description: 'Gone: the endpoint is disabled and the event is dead (re-enable the platform, then replay)', content: IGNORED },
          '429': { description: 'Throttled: retried after Retry-After without using up a retry (any other answer: retried on the schedule)', content: IGNORED },
        },
      },
    };
  }
  (doc as unknown as { webhooks: Record<string, unknown> }).webhooks = webhooks;
}
