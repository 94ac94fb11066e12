import { ChannelErrorCode } from '../../channels/channels.errors';
import { ConsoleErrorCode } from '../../console/console.errors';
import { ContactErrorCode } from '../../contacts/contacts.errors';
import { ConversationErrorCode } from '../../conversations/conversations.errors';
import { MediaErrorCode } from '../../media/media.errors';
import { MessageErrorCode } from '../../messages/messages.errors';
import { TagErrorCode } from '../../tags/tags.errors';
import { WebhookErrorCode } from '../../webhooks/webhooks.errors';
import { WhatsappErrorCode } from '../../whatsapp/whatsapp.errors';
import { ProviderErrorCode } from '../../providers/providers.errors';
import { CommonErrorCode } from './app-error';

type ValueOf<T> = T[keyof T];

/**
 * Every stable error code the API can answer. A code added to any feature's list without a
 * catalogue entry below fails `tsc`, so the OpenAPI document can never name a code it cannot explain.
 */
export type ErrorCode =
  | ValueOf<typeof CommonErrorCode>
  | ValueOf<typeof ChannelErrorCode>
  | ValueOf<typeof ConsoleErrorCode>
  | ValueOf<typeof ContactErrorCode>
  | ValueOf<typeof ConversationErrorCode>
  | ValueOf<typeof MediaErrorCode>
  | ValueOf<typeof MessageErrorCode>
  | ValueOf<typeof TagErrorCode>
  | ValueOf<typeof WebhookErrorCode>
  | ValueOf<typeof WhatsappErrorCode>
  | ValueOf<typeof ProviderErrorCode>
  // Raised by name where they live (redis-availability.ts, api-keys.service.ts).
  | 'DEPENDENCY_UNAVAILABLE'
  | 'API_KEY_NOT_FOUND';

/** What one code looks like on the wire: its HTTP status and a realistic example body. */
export interface ErrorEntry {
  status: number;
  message: string;
  details?: unknown;
}

const ID = '64ef5c84f9deb1326965919e';
const field = (name: string, message: string) => [{ field: name, messages: [message] }];

/** The one place each code's status is decided; `ApiErrors(...)` and the OpenAPI document read it. */
export const ERROR_CATALOGUE: Readonly<Record<ErrorCode, ErrorEntry>> = {
  // Shared
  VALIDATION_FAILED: { status: 400, message: 'Validation failed: name should not be empty', details: field('name', 'name should not be empty') },
  INVALID_JSON: { status: 400, message: 'Request body is not valid JSON' },
  INVALID_ID: { status: 400, message: 'contactId must be a 24-character hex id', details: field('contactId', 'contactId must be a 24-character hex id') },
  OPERATOR_NOT_ALLOWED: { status: 400, message: 'Field names may not start with "$" (body.name.$gt)', details: field('name.$gt', 'operators are not allowed') },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Request body is too large' },
  PAYLOAD_TOO_DEEP: { status: 400, message: 'Request body nests deeper than 32 levels', details: { maxDepth: 32 } },
  PAYLOAD_TOO_COMPLEX: { status: 400, message: 'Request body holds more than 10000 values', details: { maxValues: 10000 } },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    message: 'Request bodies must be application/json, not text/plain',
    details: { supported: ['application/json', 'application/x-www-form-urlencoded'] },
  },
  ROUTE_NOT_FOUND: { status: 404, message: 'Cannot GET /nowhere' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'Method not allowed' },
  UNAUTHENTICATED: { status: 401, message: 'An API key is required (Authorization: Bearer <key> or X-Api-Key)' },
  INVALID_API_KEY: { status: 401, message: 'The API key is not valid or was revoked' },
  ADMIN_KEY_REQUIRED: { status: 403, message: 'This route needs the admin key' },
  ACCOUNT_MISMATCH: { status: 403, message: 'This API key belongs to another account' },
  ACCOUNT_REQUIRED: {
    status: 400,
    message: 'The admin key must name the account: pass clientIdentifier (body, query or X-Client-Identifier header)',
  },
  DUPLICATE_KEY: { status: 409, message: 'A record with the same unique value exists' },
  PAGE_OUT_OF_RANGE: { status: 400, message: 'page 5000 is past the last page' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; retry after the time in Retry-After' },
  INTERNAL_ERROR: { status: 500, message: 'Internal server error' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'Service unavailable' },
  DEPENDENCY_UNAVAILABLE: { status: 503, message: 'Redis is not answering; retry shortly', details: { dependency: 'Redis' } },
  API_KEY_NOT_FOUND: { status: 404, message: `API key ${ID} not found` },

  // Channels and platform endpoints
  CHANNEL_NOT_FOUND: { status: 404, message: `Channel ${ID} not found` },
  PLATFORM_CONFIG_NOT_FOUND: { status: 404, message: `Platform config ${ID} not found` },
  PLATFORM_NOT_FOUND: { status: 404, message: `Channel ${ID} has no platform "helpdesk"` },
  UNSUPPORTED_SERVICE: { status: 400, message: 'Unsupported service "telegram" (supported: whatsappweb, whatsappcloud, d360)' },
  INVALID_CALLBACK_URL: { status: 400, message: 'callbackUrl must be a public https URL', details: field('callbackUrl', 'callbackUrl resolves to a private address') },
  INVALID_STARTING_PLATFORM: { status: 400, message: 'startingPlatform "crm" is not one of the platforms' },
  DUPLICATE_PLATFORM_SLUG: { status: 400, message: 'Platform "karoochat" is listed twice' },
  PLATFORM_SLUG_TAKEN: { status: 409, message: 'The channel already has a platform "karoochat"' },
  STARTING_PLATFORM_NOT_REMOVABLE: {
    status: 422,
    message: `"karoochat" is the channel's starting platform: make another platform the starting one first`,
  },
  CHANNEL_NUMBER_TAKEN: { status: 409, message: 'The account already has a whatsappweb channel for 5521988887777' },
  TOO_MANY_PLATFORMS: { status: 422, message: 'A channel has at most 20 platforms' },
  CONCURRENT_UPDATE: { status: 409, message: 'The channel changed while this update ran; retry it' },

  // Operator console
  CONSOLE_SESSION_INVALID: { status: 401, message: 'The console session is not valid; sign in again' },
  CONSOLE_SESSION_REVOKED: { status: 401, message: 'The key this console session was made from is no longer valid' },
  CONSOLE_CSRF_FAILED: { status: 403, message: 'Missing or wrong CSRF token' },
  CONSOLE_SESSION_REQUIRED: { status: 401, message: 'This route needs a console session' },
  CONSOLE_NOT_BUILT: { status: 404, message: 'The console was not built: run npm run build' },

  // Contacts
  CONTACT_NOT_FOUND: { status: 404, message: `Contact ${ID} not found` },
  CONTACT_IDENTIFIER_TAKEN: { status: 409, message: 'A contact 5521999999999 already exists on this channel', details: { contactId: ID } },
  INVALID_PHONE_NUMBER: { status: 400, message: '"12ab" is not a phone number with its country code', details: field('contactIdentifier', 'not a valid phone number') },
  INVALID_GROUP_ID: { status: 400, message: '"abc" is not a WhatsApp group id (…@g.us)', details: field('contactIdentifier', 'not a group id') },
  UNKNOWN_PLATFORM: { status: 400, message: 'Channel has no platform "helpdesk"', details: field('platform', 'unknown platform') },
  ID_MISMATCH: { status: 400, message: 'The id in the body is not the id in the path' },

  // Conversations
  CONVERSATION_NOT_FOUND: { status: 404, message: `Conversation ${ID} not found` },
  CONVERSATION_ENDED: { status: 422, message: `Conversation ${ID} has ended: start a new one` },
  PLATFORM_CONFIG_MISMATCH: { status: 400, message: 'platformConfigId names another channel than channelId' },

  // Media links
  MEDIA_NOT_FOUND: { status: 404, message: `Media ${ID} not found` },
  MEDIA_LINK_INVALID: { status: 403, message: 'The media link signature is not valid' },
  MEDIA_LINK_EXPIRED: { status: 410, message: 'The media link has expired' },

  // Messages
  MESSAGE_NOT_FOUND: { status: 404, message: `Message ${ID} not found` },
  MESSAGE_NOT_RETRYABLE: { status: 409, message: `Message ${ID} was sent; only failed sends can be retried`, details: { status: 'sent' } },
  QUOTED_MESSAGE_NOT_FOUND: { status: 404, message: 'The quoted message is not in this chat' },
  MESSAGE_NOT_SENT: { status: 422, message: 'The message never reached WhatsApp (failed)' },
  INVALID_MEDIA_URL: { status: 400, message: 'mediaUri must be an http(s) URL', details: field('mediaUri', 'must be an http(s) URL') },
  MEDIA_URL_FORBIDDEN: { status: 400, message: 'mediaUri points at a private or local address' },
  MEDIA_UNREACHABLE: { status: 422, message: 'The media URL answered 404', details: { mediaUri: 'https://exemplo.com/documento.pdf', status: 404 } },
  MEDIA_TOO_LARGE: { status: 413, message: 'The media is larger than 16777216 bytes', details: { mediaUri: 'https://exemplo.com/video.mp4', maxBytes: 16777216 } },
  MEDIA_EMPTY: { status: 422, message: 'The media URL returned no bytes' },
  MEDIA_TYPE_NOT_ALLOWED: { status: 422, message: 'A sticker must be a WebP, PNG or JPEG image' },
  MEDIA_TYPE_MISMATCH: { status: 422, message: 'The media URL declares image/png but its bytes are not a known image format' },
  INVALID_IDEMPOTENCY_KEY: { status: 400, message: 'Idempotency-Key must be 1 to 255 visible ASCII characters' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: 'This Idempotency-Key was used with a different request' },
  DELETE_WINDOW_PASSED: {
    status: 422,
    message: 'WhatsApp deleted the message only on this device: the time to delete it for everyone has passed (or you may not delete it)',
  },
  SENDER_MISMATCH: { status: 422, message: 'senderId is not who sent the message' },
  FORWARD_ACROSS_CHANNELS: { status: 422, message: 'Only messages of the same channel can be forwarded' },
  MESSAGE_ACTION_FAILED: { status: 422, message: 'WhatsApp refused the reaction' },
  MESSAGE_NOT_INBOUND: { status: 422, message: `Message ${ID} was not received from a contact: only those can be marked read` },
  ENGINE_FEATURE_UNSUPPORTED: {
    status: 422,
    message: 'interactive is not supported by the whatsappweb engine',
    details: { feature: 'interactive', service: 'whatsappweb', engine: 'whatsappweb' },
  },

  // Official API provider (whatsappcloud, d360)
  WEBHOOK_VERIFICATION_FAILED: { status: 403, message: 'hub.mode must be subscribe and hub.verify_token the channel’s webhook verify token' },
  WEBHOOK_SIGNATURE_INVALID: { status: 401, message: 'The webhook signature or token is missing or wrong' },
  WEBHOOK_PAYLOAD_INVALID: { status: 400, message: 'a WhatsApp webhook has object "whatsapp_business_account" and an entry array' },
  WEBHOOK_CHANNEL_NOT_FOUND: { status: 404, message: `No whatsappcloud channel ${ID}` },
  OUTSIDE_SERVICE_WINDOW: {
    status: 422,
    message: 'The contact has not written in the last 24 hours: only a template can be sent',
    details: { lastInboundAt: '2026-12-01T12:00:00.000Z', windowHours: 24 },
  },
  TEMPLATE_NOT_FOUND: { status: 422, message: 'Template pedido_confirmado (pt_BR) is not an approved template of this account', details: { name: 'pedido_confirmado', language: 'pt_BR' } },
  PROVIDER_CREDENTIALS_UNREADABLE: { status: 503, message: 'The channel’s provider credentials cannot be read by this server' },
  PROVIDER_REQUEST_FAILED: { status: 502, message: '360dialog refused the webhook configuration: (#190) Invalid api_key', details: { reason: 'PROVIDER_AUTH_FAILED' } },

  // Tags
  TAG_NOT_FOUND: { status: 404, message: `Tag ${ID} not found` },
  TAG_NAME_TAKEN: { status: 409, message: 'A tag "Cliente VIP" already exists', details: { name: 'Cliente VIP' } },

  // Webhook delivery log
  WEBHOOK_EVENT_NOT_FOUND: { status: 404, message: 'Webhook event evt_3f1c0e9a4b7d2c5e8f0a1b2c3d4e5f60 not found' },
  WEBHOOK_EVENT_IN_FLIGHT: { status: 409, message: 'The event is being delivered right now; replay it once this attempt ends' },
  WEBHOOK_ENDPOINT_NOT_FOUND: { status: 422, message: `Channel ${ID} has no platform "helpdesk" any more` },
  WEBHOOK_ENDPOINT_DISABLED: { status: 422, message: `Platform "karoochat" of channel ${ID} is disabled; enable it before replaying` },

  // WhatsApp sessions, onboarding, sandbox
  CHANNEL_NOT_READY: { status: 422, message: 'The channel is not connected to WhatsApp (state QR)', details: { state: 'QR' } },
  SESSION_NOT_LOCAL: { status: 503, message: 'Another server process runs this session' },
  SESSION_OWNER_UNREACHABLE: { status: 503, message: 'The server process running this session did not answer in time; retry shortly' },
  SESSION_MOVING: { status: 503, message: 'The session is moving to another server process; retry after Retry-After' },
  NO_SESSION_CAPACITY: { status: 503, message: 'Every server process is at its session limit or draining' },
  PROCESS_NOT_FOUND: { status: 404, message: 'No live server process has this id' },
  SESSION_ALREADY_CONNECTED: { status: 409, message: 'The channel is already linked to WhatsApp' },
  SESSION_NOT_WAITING_FOR_LINK: { status: 422, message: 'The session is not waiting for a link (state STARTING)' },
  QR_NOT_AVAILABLE: { status: 404, message: 'No QR code on screen (state READY)' },
  PAIRING_CODE_FAILED: { status: 422, message: 'WhatsApp did not give a pairing code' },
  ONBOARDING_LINK_INVALID: { status: 401, message: 'This onboarding link is not valid' },
  ONBOARDING_LINK_EXPIRED: { status: 410, message: 'This onboarding link has expired; ask for a new one' },
  SANDBOX_SESSION_NOT_RUNNING: { status: 422, message: 'No sandbox browser runs for this channel (state STOPPED): start it or link it first' },
  SANDBOX_ACTION_FAILED: { status: 422, message: 'The sandbox refused: no such message' },
  WA_MESSAGE_UNAVAILABLE: { status: 422, message: 'WhatsApp Web no longer has this message' },
};

export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CATALOGUE, code);
}
