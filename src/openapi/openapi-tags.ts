/**
 * Every tag a controller uses, with the description readers and generators show beside it.
 * A controller with a tag missing here fails the contract test (and the linter's operation-tag-defined).
 */
export const OPENAPI_TAGS: { name: string; description: string }[] = [
  { name: 'Account', description: 'The account an API key acts for.' },
  {
    name: 'Cluster (admin)',
    description:
      'The server processes sharing this database and Redis: the WhatsApp Web sessions each runs, and drain for a deploy. Any process answers any request; see docs/deployment.md.',
  },
  { name: 'API keys (admin)', description: 'Account keys, managed with the admin key. A key is shown once, when created; only its hash is stored.' },
  { name: 'Channels', description: 'WhatsApp channels of an account (SDK 1.1) and their platform endpoints, each with its callback URL and signing secret.' },
  { name: 'WhatsApp sessions', description: 'The WhatsApp Web session behind a channel: status, start/stop, QR and pairing code, live status stream.' },
  { name: 'WhatsApp onboarding', description: 'Signed onboarding links (SDK 1.2 popup) and the public page behind them; the link token is the authorisation.' },
  { name: 'Contacts', description: 'Individuals and groups of an account (SDK 2.x), their tags and message history.' },
  { name: 'Tags', description: 'Tags of an account (SDK 3.x) and the contacts carrying them.' },
  { name: 'Conversations', description: 'Conversations between a platform and a contact (SDK 4.1); a conversation id is the `sessionId` of sends.' },
  { name: 'Messages', description: 'Sending every message kind (SDK 5.x to contacts, 6.x to groups), reactions, deletes and history. Sends answer 202 at once.' },
  { name: 'Webhooks', description: 'The delivery log of signed webhook events and their replay. The payloads themselves are the `Webhook*` schemas.' },
  { name: 'Media', description: 'Stored media behind signed, expiring links (from webhook payloads); the signature is the authorisation.' },
  { name: 'Health', description: 'Liveness, readiness and Prometheus metrics.' },
  { name: 'Sandbox (WHATSAPP_ENGINE=sandbox only)', description: 'Drive the offline WhatsApp Web sandbox: link, inbound messages, acks, groups, disconnects. Absent in production.' },
];
