import { createHmac } from 'node:crypto';

/** The three Standard Webhooks headers (https://www.standardwebhooks.com). */
export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

const SECRET_PREFIX = 'whsec_';

/** Raw key bytes of a `whsec_<base64>` secret (the prefix is optional, as in the reference library). */
export function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new Error('webhook secret is empty');
  return key;
}

/**
 * Signs one delivery attempt: `v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>`, one
 * space-separated signature per secret (during a secret rotation the previous secret signs
 * too, so receivers still holding it keep verifying). The id stays the same across retries
 * and replays (receivers dedupe on it); the timestamp is the attempt's, so receivers can
 * refuse stale or replayed requests.
 */
export function signWebhook(secrets: string | readonly string[], id: string, body: string, at: Date = new Date()): SignedHeaders {
  const timestamp = Math.floor(at.getTime() / 1000).toString();
  const content = `${id}.${timestamp}.${body}`;
  const signatures = (typeof secrets === 'string' ? [secrets] : secrets).map(
    (secret) => `v1,${createHmac('sha256', secretKey(secret)).update(content).digest('base64')}`,
  );
  if (signatures.length === 0) throw new Error('no secret to sign with');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}
