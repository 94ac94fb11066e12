import { createHash } from 'node:crypto';
import { GraphError, webhookError } from './cloud-api-errors';
import { newNumericId, newWamid } from './cloud-ids';
import type { CloudSandboxState, NumberState } from './cloud-sandbox-state';

export const INBOUND_TYPES = ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'reaction', 'interactive', 'button', 'unsupported'] as const;
const MEDIA = new Set(['image', 'video', 'audio', 'document', 'sticker']);

export interface InboundRequest {
  from: string;
  name?: string;
  type: (typeof INBOUND_TYPES)[number];
  /** The type's object as Meta delivers it; media may carry `data` (base64) instead of an `id`. */
  payload: Record<string, unknown> | unknown[];
  /** Reply to an earlier message (`context.id`); `from` defaults to this business number. */
  context?: { id: string; from?: string };
}

/**
 * A customer's message as it appears in `value.messages[]`, e.g. `interactive.button_reply` /
 * `list_reply` for taps on our buttons and lists, `button` for template quick replies. Inline media is
 * stored so that `GET /<media-id>` serves it like Meta does.
 */
export function buildInbound(state: CloudSandboxState, number: NumberState, req: InboundRequest): Record<string, unknown> {
  if (typeof req.from !== 'string' || !/^\d{6,16}$/.test(req.from)) throw new GraphError(100, 'from must be digits (wa_id)');
  if (!INBOUND_TYPES.includes(req.type)) throw new GraphError(100, `type must be one of ${INBOUND_TYPES.join(', ')}`);
  if (req.type === 'unsupported') return unsupported(state, req.from);
  if (typeof req.payload !== 'object' || req.payload === null) throw new GraphError(100, 'payload is required');
  let payload: unknown = req.payload;
  if (MEDIA.has(req.type)) payload = storeInlineMedia(state, number, req.payload as Record<string, unknown>);
  const message: Record<string, unknown> = {
    from: req.from,
    id: newWamid(req.from),
    timestamp: String(Math.floor(state.now() / 1000)),
    type: req.type,
    [req.type]: payload,
  };
  if (req.context) message.context = { from: req.context.from ?? number.config.displayPhoneNumber.replace(/\D/g, ''), id: req.context.id };
  return message;
}

/** What Meta sends for a message kind the Cloud API cannot deliver to businesses (e.g. a poll). */
function unsupported(state: CloudSandboxState, from: string): Record<string, unknown> {
  return {
    from,
    id: newWamid(from),
    timestamp: String(Math.floor(state.now() / 1000)),
    type: 'unsupported',
    errors: [webhookError(131051, 'Message type is currently not supported.')],
  };
}

function storeInlineMedia(state: CloudSandboxState, number: NumberState, payload: Record<string, unknown>): Record<string, unknown> {
  const { data, mime_type: mimeType, ...rest } = payload;
  if (typeof data !== 'string') return payload;
  const bytes = Buffer.from(data, 'base64');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const id = newNumericId();
  const type = typeof mimeType === 'string' ? mimeType : 'application/octet-stream';
  state.media.set(id, { id, phoneNumberId: number.config.phoneNumberId, bytes, mimeType: type, sha256 });
  return { ...rest, mime_type: type, sha256, id };
}
