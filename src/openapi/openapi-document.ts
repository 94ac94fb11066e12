import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ADMIN_ONLY_EXTENSION, PUBLIC_EXTENSION } from '../common/auth/auth.decorators';
import { ERROR_CODES_EXTENSION } from '../common/errors/api-errors.decorator';
import { ErrorResponse } from '../common/errors/error-response';
import { AppConfig } from '../config/app-config';
import { applyErrorResponses } from './error-responses';
import { toOpenApi31 } from './openapi-31';
import { OPENAPI_TAGS } from './openapi-tags';
import { OpenApiDocument, operationsOf } from './openapi-types';
import { operationId } from './operation-ids';
import { applySecurity } from './security';
import { applyWebhookSchemas } from './webhook-schemas';

export const API_DESCRIPTION = `REST API of the omnichannel server: WhatsApp Web channels, contacts, tags,
conversations, messages and signed webhooks.

Authenticate with an account API key, an opaque string (not a JWT): \`Authorization: Bearer <key>\` or
\`X-Api-Key: <key>\`. Routes marked without a lock (health, onboarding pages, signed media links) need none.

Errors share one body, \`{ statusCode, code, message, details?, requestId }\`: each response lists the
\`code\`s that route can answer, with an example of each. Branch on \`code\`.

Webhook payloads are described by the \`WebhookPayload\` schemas (one per event type). See docs/api-contract.md.`;

/** The OpenAPI document of the running app, as served at /docs-json. */
export function buildOpenApi(app: INestApplication): OpenApiDocument {
  const config = app.get(AppConfig);
  const builder = new DocumentBuilder()
    .setTitle('Omnichannel server')
    .setDescription(API_DESCRIPTION)
    .setVersion('1.0')
    .addServer(config.http.publicBaseUrl, 'This server (PUBLIC_BASE_URL)');
  for (const tag of OPENAPI_TAGS) builder.addTag(tag.name, tag.description);
  const doc = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ErrorResponse],
    operationIdFactory: operationId,
  });
  toOpenApi31(doc);
  applySecurity(doc);
  applyErrorResponses(doc);
  applyWebhookSchemas(doc);
  // Our markers were for the steps above; the published document carries none of them.
  for (const { op } of operationsOf(doc)) for (const key of [PUBLIC_EXTENSION, ADMIN_ONLY_EXTENSION, ERROR_CODES_EXTENSION]) delete op[key];
  return doc;
}
