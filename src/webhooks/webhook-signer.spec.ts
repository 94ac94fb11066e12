import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { signWebhook } from './webhook-signer';

const generateWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

describe('signWebhook', () => {
  it('produces headers the standardwebhooks library verifies', () => {
    const secret = generateWebhookSecret();
    const body = JSON.stringify({ version: 1, type: 'message.received', data: { text: 'olá' } });
    const headers = signWebhook(secret, 'evt_abc', body);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('matches the reference signature byte for byte', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const at = new Date('2026-01-02T03:04:05Z');
    const body = '{"a":1}';
    const ours = signWebhook(secret, 'msg_1', body, at)['webhook-signature'];
    expect(ours).toBe(new Webhook(secret).sign('msg_1', at, body));
  });

  it('fails verification when the body or the secret differ', () => {
    const secret = generateWebhookSecret();
    const headers = signWebhook(secret, 'evt_1', '{"a":1}');
    expect(() => new Webhook(secret).verify('{"a":2}', { ...headers })).toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify('{"a":1}', { ...headers })).toThrow();
  });

  it('keeps the id and moves the timestamp between attempts', () => {
    const secret = generateWebhookSecret();
    const first = signWebhook(secret, 'evt_1', '{}', new Date(1_000_000));
    const later = signWebhook(secret, 'evt_1', '{}', new Date(2_000_000));
    expect(later['webhook-id']).toBe(first['webhook-id']);
    expect(later['webhook-timestamp']).not.toBe(first['webhook-timestamp']);
    expect(later['webhook-signature']).not.toBe(first['webhook-signature']);
  });

  it('signs with every secret during a rotation, and each secret verifies alone', () => {
    const [current, previous] = [generateWebhookSecret(), generateWebhookSecret()];
    const headers = signWebhook([current, previous], 'evt_2', '{"b":2}');
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify('{"b":2}', { ...headers })).toEqual({ b: 2 });
    expect(new Webhook(previous).verify('{"b":2}', { ...headers })).toEqual({ b: 2 });
  });
});
