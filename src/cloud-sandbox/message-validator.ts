import { GraphError } from './cloud-api-errors';
import { ENVELOPE_FIELDS, MARK_READ_SHAPE, MESSAGE_TYPE_SHAPES } from './message-shapes';
import { obj, validateShape } from './shape-validator';

export type ValidatedRequest =
  | { kind: 'read'; messageId: string; typing: boolean }
  | { kind: 'send'; type: string; to: string; body: Record<string, unknown> };

/**
 * Validates a `POST …/messages` body against the documented shapes. The envelope allows exactly one
 * payload object, the one named by `type` (Meta defaults `type` to `text`).
 */
export function validateMessageRequest(input: unknown): ValidatedRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new GraphError(100, 'The request body must be a JSON object.');
  }
  const body = input as Record<string, unknown>;
  if ('status' in body) {
    validateShape(body, MARK_READ_SHAPE, '');
    return { kind: 'read', messageId: body.message_id as string, typing: body.typing_indicator !== undefined };
  }
  const type = body.type === undefined ? 'text' : body.type;
  if (typeof type !== 'string' || !(type in MESSAGE_TYPE_SHAPES)) {
    validateShape(type, ENVELOPE_FIELDS.type, 'type');
  }
  const typeName = type as string;
  const shape = obj({ ...ENVELOPE_FIELDS, [typeName]: MESSAGE_TYPE_SHAPES[typeName] }, [
    'messaging_product',
    'to',
    typeName,
  ]);
  validateShape(body, shape, '');
  return { kind: 'send', type: typeName, to: body.to as string, body };
}
