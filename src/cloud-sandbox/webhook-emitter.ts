import { createHmac, randomBytes } from 'node:crypto';
import { webhookError } from './cloud-api-errors';
import type { NumberState, OutboxEntry } from './cloud-sandbox-state';

/**
 * Builds Meta's `whatsapp_business_account` notifications and POSTs them to the number's webhook URL.
 * Meta flavour: signed `X-Hub-Signature-256: sha256=<hex HMAC of the raw body with the app secret>`.
 * 360dialog flavour: no signature, the headers configured through `/v1/configs/webhook` instead.
 */
export function envelope(number: NumberState, value: Record<string, unknown>): Record<string, unknown> {
  const { config } = number;
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: config.wabaId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: config.displayPhoneNumber, phone_number_id: config.phoneNumberId },
              ...value,
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

export function signatureHeader(rawBody: string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

export async function deliverWebhook(
  number: NumberState,
  value: Record<string, unknown>,
  now: number,
): Promise<{ status?: number; error?: string }> {
  const { config } = number;
  const body = envelope(number, value);
  if (!config.webhook) {
    number.deliveries.push({ at: new Date(now).toISOString(), url: '', error: 'no webhook configured', body });
    return { error: 'no webhook configured' };
  }
  const raw = JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(config.webhook.headers ?? {}) };
  if (config.flavour === 'meta' && config.appSecret) headers['x-hub-signature-256'] = signatureHeader(raw, config.appSecret);
  const record = { at: new Date(now).toISOString(), url: config.webhook.url, body } as NumberState['deliveries'][number];
  number.deliveries.push(record);
  try {
    const res = await fetch(config.webhook.url, { method: 'POST', headers, body: raw, signal: AbortSignal.timeout(10_000) });
    record.status = res.status;
    await res.arrayBuffer();
    return { status: res.status };
  } catch (err) {
    record.error = (err as Error).message;
    return { error: record.error };
  }
}

/** The `statuses[]` entry Meta sends for an outbound message. */
export function statusValue(
  entry: OutboxEntry,
  status: 'sent' | 'delivered' | 'read' | 'failed',
  now: number,
  errorCode?: number,
): Record<string, unknown> {
  const timestamp = String(Math.floor(now / 1000));
  const item: Record<string, unknown> = { id: entry.id, status, timestamp, recipient_id: entry.to };
  if (status === 'failed') {
    const code = errorCode ?? entry.error?.code ?? 131026;
    item.errors = [webhookError(code, entry.error?.code === code ? entry.error.details : undefined)];
  } else if (status !== 'read') {
    const category = entry.pricingCategory;
    item.conversation = {
      id: randomBytes(16).toString('hex'),
      ...(status === 'sent' ? { expiration_timestamp: String(Math.floor(now / 1000) + 86_400) } : {}),
      origin: { type: category },
    };
    item.pricing = { billable: category !== 'service', pricing_model: 'PMP', category, type: 'regular' };
  }
  const ctx = entry.request.biz_opaque_callback_data;
  if (typeof ctx === 'string') item.biz_opaque_callback_data = ctx;
  return { statuses: [item] };
}
