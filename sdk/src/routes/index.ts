import { channelRoutes } from './channels.routes';
import { contactRoutes } from './contacts.routes';
import type { RouteSpec } from './route';
import { tagRoutes } from './tags.routes';
import { webhookRoutes } from './webhooks.routes';

/** Every route the SDK calls, machine-readable (the drift test compares it with the server's OpenAPI document). */
export const ROUTE_TABLE: readonly RouteSpec[] = [channelRoutes, contactRoutes, tagRoutes, webhookRoutes].flatMap((group) => Object.values(group));
