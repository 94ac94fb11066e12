import { ContactApi } from './contact-api';
import { MessageApi } from './message-api';
import { SetupApi } from './setup-api';
import { TagApi } from './tag-api';
import { WebhookApi } from './webhook-api';
import { WhatsappWebUtils } from './whatsapp-web-utils';

export { ContactApi, MessageApi, SetupApi, TagApi, WebhookApi, WhatsappWebUtils };

/** Every API class, for the Nest module's providers. */
export const API_CLASSES = [SetupApi, ContactApi, TagApi, MessageApi, WebhookApi, WhatsappWebUtils] as const;
