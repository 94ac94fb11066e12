import { channelRoutes } from './channels.routes';
import { contactRoutes } from './contacts.routes';
import { messageRoutes } from './messages.routes';
import { conversationRoutes } from './conversations.routes';
import type { RouteSpec } from './route';
import { tagRoutes } from './tags.routes';
import { webhookRoutes } from './webhooks.routes';
import { whatsappRoutes } from './whatsapp.routes';

/** Every route the SDK calls, machine-readable (the drift test compares it with the server's OpenAPI document). */
export const ROUTE_TABLE: readonly RouteSpec[] = [channelRoutes, contactRoutes, tagRoutes, conversationRoutes, messageRoutes, webhookRoutes, whatsappRoutes].flatMap((group) => Object.values(group));
