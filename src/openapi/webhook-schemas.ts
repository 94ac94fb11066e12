import { OpenApiDocument } from './openapi-types';

/** Placeholder until the payload schemas land. */
export function applyWebhookSchemas(doc: OpenApiDocument): void {
  void doc;
}
