import { InboundEventSink } from '../../src/whatsapp/engine/inbound-sink.port';
import type { EngineSession } from '../../src/whatsapp/engine/messaging-engine.port';
import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { Auditor } from './fault-support';
import { waitFor, WebhookReceiver } from './receiver';

jest.setTimeout(120_000);

const ACC = 'acc-whfaults';
const BURST = 200;
const noSession = { channelId: '', downloadMedia: async () => undefined } as unknown as EngineSession;

/**
 * A platform misbehaving during a burst of inbound messages: down then back, answering 500,
 * throttling with 429 + Retry-After, hanging past the timeout. Each ends with every message
 * acknowledged (2xx) at least once, and every copy of a message carrying the same webhook-id.
 */
describe('delivery through receiver faults', () => {
  let t: TestApp;
  let acc: ApiClient;
  let sink: InboundEventSink;
  let channelId: string;
  let receiver = new WebhookReceiver();
  let port = 0;
  let auditor: Auditor;
  let n = 0;

  beforeAll(async () => {
    await receiver.start();
    port = receiver.port;
    t = await startTestApp('whfaults', {
      // About a minute of retries: every outage below is shorter.
      WEBHOOK_RETRY_DELAYS_MS: '0,200,500,1000,2000,4000,8000,15000,30000',
      WEBHOOK_TIMEOUT_MS: '1000',
      WEBHOOK_ENDPOINT_CONCURRENCY: '8',
      WEBHOOK_SWEEP_INTERVAL_MS: '2000',
    });
    acc = await accountClient(new ApiClient(t.baseUrl, t.adminKey), ACC);
    const res = await acc.post('/channels/setup/whatsappweb', {
      provider: { clientNumber: '5521987650003', companyId: 'c1' },
      startingPlatform: 'p',
      platforms: [{ slug: 'p', callbackUrl: `${receiver.url}/hook` }],
    });
    channelId = res.body.id;
    sink = t.app.get(InboundEventSink, { strict: false });
  });

  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  beforeEach(() => {
    auditor = new Auditor(receiver);
  });

  /** BURST messages from 20 chats, injected 10 at a time at the messaging port. */
  async function burst(): Promise<string[]> {
    const ids = Array.from({ length: BURST }, () => {
      const i = n++;
      const chatId = `55219${String(70_000_000 + (i % 20))}@c.us`;
      return { id: `false_${chatId}_FAULT${i.toString(16).padStart(10, '0').toUpperCase()}`, chatId };
    });
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < ids.length) {
          const { id, chatId } = ids[next++];
          await sink.handle(
            { clientIdentifier: ACC, channelId },
            { type: 'message', message: { id, chatId, senderId: chatId, isGroup: false, fromMe: false, timestamp: Math.floor(Date.now() / 1000), kind: 'text', body: id } },
            noSession,
          );
        }
      }),
    );
    return ids.map((x) => x.id);
  }

  /** Called once every message was acknowledged: duplicates, if any, reuse one webhook-id. */
  function expectNoneMissing(ids: string[]) {
    expect(ids.every((id) => auditor.audit.acknowledged.has(id))).toBe(true);
    const dup = auditor.duplicates();
    expect(dup.idsPerMessage).toEqual([1]); // duplicates carry the same webhook-id
    return dup;
  }

  it('receiver down, then back: everything arrives', async () => {
    await receiver.stop();
    const sending = burst();
    await new Promise((r) => setTimeout(r, 2_000)); // connections refused meanwhile
    receiver = new WebhookReceiver();
    await receiver.start(port);
    auditor = Object.assign(new Auditor(receiver), { audit: auditor.audit });
    auditor.serve(() => ({ status: 200 }));
    const ids = await sending;
    await auditor.allAcknowledged(ids, 60_000);
    // The log shows the refused attempts before the 2xx (written in batches a moment after it).
    const log = await acc.get(`/webhooks/events?channelId=${channelId}&limit=100&order=asc`);
    const retried = log.body.data.filter((e: { attemptCount: number }) => e.attemptCount > 1);
    expect(retried.length).toBeGreaterThan(0);
    const detail = await waitFor('the retried event delivered in the log', async () => {
      const d = await acc.get(`/webhooks/events/${retried[0].eventId}`);
      return d.body.state === 'delivered' ? d : undefined;
    });
    expect(detail.body.attempts[0]).toMatchObject({ outcome: 'retry', error: expect.stringMatching(/^NETWORK/) });
    expect(detail.body.attempts.at(-1)).toMatchObject({ outcome: 'delivered', status: 200 });
    console.log('receiver down/back', { refusedThenDelivered: retried.length, ...expectNoneMissing(ids) });
  });

  it('receiver answering 500 for a while: everything arrives, retried', async () => {
    let failures = 0;
    auditor.serve(() => (failures++ < 300 ? { status: 500, body: 'down for maintenance' } : { status: 200 }));
    const ids = await burst();
    await auditor.allAcknowledged(ids, 60_000);
    expect(failures).toBeGreaterThan(300);
    const dup = expectNoneMissing(ids);
    expect(dup.messagesWithCopies).toBeGreaterThan(0);
    console.log('500s', dup);
  });

  it('receiver throttling with 429 and Retry-After: everything arrives, no sooner than asked', async () => {
    const until = Date.now() + 1_500;
    const throttledAt = new Map<string, number>();
    auditor.serve((r) => {
      const id = String(r.headers['webhook-id']);
      if (Date.now() < until) {
        throttledAt.set(id, Date.now());
        return { status: 429, headers: { 'retry-after': '2' } };
      }
      const at = throttledAt.get(id);
      if (at !== undefined) expect(Date.now() - at).toBeGreaterThanOrEqual(1_900);
      return { status: 200 };
    });
    const ids = await burst();
    await auditor.allAcknowledged(ids, 60_000);
    expect(throttledAt.size).toBeGreaterThan(0);
    console.log('429s', { throttled: throttledAt.size, ...expectNoneMissing(ids) });
  });

  it('receiver hanging past the timeout: everything arrives', async () => {
    const until = Date.now() + 2_000;
    let hung = 0;
    auditor.serve(() => (Date.now() < until ? (hung++, 'hang') : { status: 200 }));
    const ids = await burst();
    await auditor.allAcknowledged(ids, 60_000);
    expect(hung).toBeGreaterThan(0);
    console.log('hangs', { hung, ...expectNoneMissing(ids) });
  });
});
