import { channelRoutes } from './channels.routes';
import { contactRoutes } from './contacts.routes';
import { messageRoutes } from './messages.routes';
import { conversationRoutes } from './conversations.routes';
import type { OperationKey } from '../generated/operations.gen';
import type { DocumentedInput } from './operation-input';
import { assertNone, type RouteKey, type RouteSpec, type RoutesOffTheDocument, type RoutesWithOtherInput } from './route';
import { tagRoutes } from './tags.routes';
import { webhookRoutes } from './webhooks.routes';
import { whatsappRoutes } from './whatsapp.routes';

/**
 * Every route the SDK calls, machine-readable: the HTTP client places each field of a call in the
 * path, the query or the body from it. Its methods, paths and fields are checked against the
 * generated OpenAPI types below (at compile time: `tsc` of the SDK fails on any drift).
 */
export const ROUTE_TABLE: readonly RouteSpec[] = [channelRoutes, contactRoutes, tagRoutes, conversationRoutes, messageRoutes, webhookRoutes, whatsappRoutes].flatMap((group) => Object.values(group));

type Group = typeof channelRoutes | typeof contactRoutes | typeof tagRoutes | typeof conversationRoutes | typeof messageRoutes | typeof webhookRoutes | typeof whatsappRoutes;
type TableRoute = Group extends infer G ? (G extends object ? G[keyof G] : never) : never;
// Every method and path of the table is an operation of the OpenAPI document (sdk/src/generated):
// a renamed or removed server route is a compile error here, naming `METHOD /path`.
assertNone<RoutesOffTheDocument<TableRoute>>();

// Its fields are the document's: the same names, the same ones required, types that fit.
assertNone<RoutesWithOtherInput<TableRoute>>();

/** Operations of the document the SDK deliberately does not wrap, and why. */
type NotWrapped =
  | 'GET /health' // infrastructure probe
  | 'GET /health/ready' // infrastructure probe
  | 'GET /metrics' // Prometheus scrape
  | 'GET /api-keys' // admin key only
  | 'POST /api-keys' // admin key only
  | 'DELETE /api-keys/{id}' // admin key only
  | 'GET /admin/cluster/processes' // admin key only (operators, deploys)
  | 'POST /admin/cluster/processes/{processId}/drain' // admin key only (operators, deploys)
  | 'POST /admin/cluster/processes/{processId}/resume' // admin key only (operators, deploys)
  | 'GET /me' // key check for operators; the SDK surfaces INVALID_API_KEY on any call
  | 'GET /media/{mediaId}' // public signed URL, opened as a link
  | 'GET /channels/{channelId}/session/events' // Server-Sent Events (the onboarding popup follows it for browsers)
  | 'GET /channels/{channelId}/session/qr.png' // binary image; getQr() returns the QR text to render
  | 'GET /onboarding/{token}' // the popup page itself (WhatsappWebUtils.onboarding opens it)
  | 'GET /onboarding/{token}/events' // the popup page's own stream
  | 'GET /onboarding/{token}/qr.png' // the popup page's own image
  | 'GET /onboarding/{token}/status' // the popup page's own poll
  | 'POST /onboarding/{token}/pairing-code'; // the popup page's own form

// Every operation of the document is wrapped, or listed above: a new server route fails here until
// the SDK calls it (or says why not).
assertNone<Exclude<OperationKey, RouteKey<TableRoute> | NotWrapped>>();
