import { GraphError } from './cloud-api-errors';
import { CLOUD_ERRORS } from './cloud-api-errors';
import { newWamid } from './cloud-ids';
import type { CloudSandboxState, NumberState, OutboxEntry } from './cloud-sandbox-state';
import type { ValidatedRequest } from './message-validator';
import { deliverWebhook, statusValue } from './webhook-emitter';

const WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * What happens after a request passed shape validation: injected errors, template existence, the 24 h
 * customer service window, the outbox. Like Meta, window and delivery failures are accepted with a wamid
 * and reported afterwards as a `failed` status webhook; only synchronous errors answer the request.
 */
export function handleSend(state: CloudSandboxState, number: NumberState, req: ValidatedRequest): Record<string, unknown> {
  const injected = state.takeInjected(number);
  if (injected !== undefined && CLOUD_ERRORS[injected]?.delivery !== 'async') {
    throw new GraphError(injected, `Injected error ${injected} (${CLOUD_ERRORS[injected]?.title ?? 'custom'}).`);
  }
  if (req.kind === 'read') {
    if (!number.inboundIds.has(req.messageId)) {
      throw new GraphError(100, `Param message_id is not a valid message id for this phone number: ${req.messageId}.`);
    }
    number.readMarks.push(req.messageId);
    return { success: true };
  }
  const to = req.to.replace(/\D/g, '');
  const pricingCategory = req.type === 'template' ? checkTemplate(number, req.body.template as Record<string, unknown>) : 'service';
  const entry: OutboxEntry = {
    id: newWamid(to),
    to,
    type: req.type,
    request: req.body,
    acceptedAt: new Date(state.now()).toISOString(),
    status: 'accepted',
    pricingCategory,
  };
  const windowOpenedAt = number.lastInbound.get(to);
  if (injected !== undefined) {
    entry.error = { code: injected, details: `Injected error ${injected}.` };
  } else if (req.type !== 'template' && (windowOpenedAt === undefined || state.now() - windowOpenedAt > WINDOW_MS)) {
    entry.error = {
      code: 131047,
      details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
    };
  }
  number.outbox.push(entry);
  if (entry.error) {
    entry.status = 'failed';
    const value = statusValue(entry, 'failed', state.now(), entry.error.code);
    setImmediate(() => void deliverWebhook(number, value, state.now()));
  } else if (number.config.autoStatuses?.length) {
    setImmediate(() => void emitInOrder(state, number, entry, number.config.autoStatuses ?? []));
  }
  return {
    messaging_product: 'whatsapp',
    contacts: [{ input: req.to, wa_id: to }],
    messages: [{ id: entry.id, ...(req.type === 'template' ? { message_status: 'accepted' } : {}) }],
  };
}

async function emitInOrder(
  state: CloudSandboxState,
  number: NumberState,
  entry: OutboxEntry,
  statuses: Array<'sent' | 'delivered' | 'read'>,
): Promise<void> {
  for (const status of statuses) {
    entry.status = status;
    await deliverWebhook(number, statusValue(entry, status, state.now()), state.now());
  }
}

function checkTemplate(number: NumberState, template: Record<string, unknown>): string {
  const name = template.name as string;
  const language = (template.language as { code: string }).code;
  const found = number.templates.find((t) => t.name === name && t.language === language && t.status === 'APPROVED');
  if (!found) {
    throw new GraphError(132001, `template name (${name}) does not exist in ${language}`);
  }
  const bodyText = found.components.find((c) => c.type === 'BODY')?.text;
  const expected = typeof bodyText === 'string' ? new Set(bodyText.match(/\{\{[^}]+\}\}/g) ?? []).size : 0;
  const components = (template.components as Array<{ type: string; parameters?: unknown[] }> | undefined) ?? [];
  const given = components.find((c) => c.type === 'body')?.parameters?.length ?? 0;
  if (given !== expected) {
    throw new GraphError(132000, `body: number of localizable_params (${given}) does not match the expected number of params (${expected})`);
  }
  return found.category.toLowerCase();
}
