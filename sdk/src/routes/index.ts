import { channelRoutes } from './channels.routes';
import { contactRoutes } from './contacts.routes';
import { messageRoutes } from './messages.routes';
import { conversationRoutes } from './conversations.routes';
import type { DocumentedInput } from './operation-input';
import { assertNone, type RouteInput, type RouteKey, type RouteSpec, type RoutesOffTheDocument, type CoversAlternatives, type Fits } from './route';
import { tagRoutes } from './tags.routes';
import { webhookRoutes } from './webhooks.routes';
import { whatsappRoutes } from './whatsapp.routes';

/** Every route the SDK calls, machine-readable (the drift test compares it with the server's OpenAPI document). */
export const ROUTE_TABLE: readonly RouteSpec[] = [channelRoutes, contactRoutes, tagRoutes, conversationRoutes, messageRoutes, webhookRoutes, whatsappRoutes].flatMap((group) => Object.values(group));

type Group = typeof channelRoutes | typeof contactRoutes | typeof tagRoutes | typeof conversationRoutes | typeof messageRoutes | typeof webhookRoutes | typeof whatsappRoutes;
type TableRoute = Group extends infer G ? (G extends object ? G[keyof G] : never) : never;
// Every method and path of the table is an operation of the OpenAPI document (sdk/src/generated):
// a renamed or removed server route is a compile error here, naming `METHOD /path`.
assertNone<RoutesOffTheDocument<TableRoute>>();

type InputOffTheDocument<R> = R extends RouteSpec
  ? Fits<RouteInput<R>, DocumentedInput<R>> extends true
    ? never
    : CoversAlternatives<RouteInput<R>, DocumentedInput<R>> extends true
      ? never
      : RouteKey<R>
  : never ;
assertNone<InputOffTheDocument<TableRoute>>();
