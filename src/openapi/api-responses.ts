import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';

/** A 200 whose body is not JSON: bytes (images, media), HTML, Prometheus text or a Server-Sent Events stream. */
export function ApiOkContent(mediaType: string, description: string) {
  const schema = mediaType.startsWith('text/') ? { type: 'string' } : { type: 'string', format: 'binary' };
  return applyDecorators(ApiProduces(mediaType), ApiOkResponse({ description, content: { [mediaType]: { schema } } }));
}

/** A JSON answer whose shape is loose on purpose (sandbox test helpers). */
export const LOOSE_OBJECT = { type: 'object', additionalProperties: true } as const;
