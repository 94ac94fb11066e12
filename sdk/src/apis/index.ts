import { ContactApi } from './contact-api';
import { SetupApi } from './setup-api';
import { TagApi } from './tag-api';
import { WebhookApi } from './webhook-api';

export { ContactApi, SetupApi, TagApi, WebhookApi };

/** Every API class, for the Nest module's providers. */
export const API_CLASSES = [SetupApi, ContactApi, TagApi, WebhookApi] as const;
