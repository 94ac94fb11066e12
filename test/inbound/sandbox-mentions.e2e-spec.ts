import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { Received, verify, waitFor, WebhookReceiver } from '../webhooks/receiver';
import { chromiumUnder, nextNumber } from '../whatsapp/whatsapp-helpers';

jest.setTimeout(120_000);

const ACC = 'acc-mentions';
const GROUP = '120363025555555552@g.us';

/**
 * Mentions end to end: injected through the sandbox control API into the real whatsapp-web.js
 * client in Chromium, mapped by the engine, stored with the message and delivered, signed, in
 * `message.received`. (Every other kind through the sandbox: test/webhooks/sandbox-webhooks.)
 */
describe('inbound mentions through the WhatsApp Web sandbox', () => {
  let t: TestApp;
  let acc: ApiClient;
  let channelId: string;
  let secret: string;
  const platform = new WebhookReceiver();

  beforeAll(async () => {
    await platform.start();
    t = await startTestApp('mentions', { WEBHOOK_RETRY_DELAYS_MS: '0,300,600' });
    acc = await accountClient(new ApiClient(t.baseUrl, t.adminKey), ACC);
    const res = await acc.post('/channels/setup/whatsappweb', {
      provider: { clientNumber: nextNumber(), companyId: 'c1' },
      startingPlatform: 'start',
      platforms: [{ slug: 'start', callbackUrl: `${platform.url}/hook` }],
    });
    expect(res.status).toBe(201);
    channelId = res.body.id;
    secret = res.body.platforms[0].secret;
    const linked = await acc.post(`/sandbox/channels/${channelId}/link`, {});
    expect(linked.body.state).toBe('READY');
  });

  afterAll(async () => {
    await t?.close();
    await platform.stop();
    expect(chromiumUnder(t.config.storage.dataDir)).toEqual([]);
  });

  async function inbound(body: Record<string, unknown>): Promise<string> {
    const res = await acc.post(`/sandbox/channels/${channelId}/inbound`, body);
    expect(res.status).toBe(201);
    return res.body.messageId;
  }
  /** The message.received of one WhatsApp message, its signature verified with the platform's secret. */
  async function received(waMessageId: string): Promise<any> {
    const raw = await waitFor(
      `message.received of ${waMessageId}`,
      () =>
        platform.received.find((x: Received) => {
          const p = JSON.parse(x.body);
          return p.type === 'message.received' && p.data.message.waMessageId === waMessageId;
        }),
      20_000,
    );
    const payload = verify(secret, raw);
    expect(raw.headers['webhook-id']).toBe(payload.id);
    return payload;
  }

  it('delivers the WhatsApp ids a group message mentions, and stores them with the message', async () => {
    const author = '5521966661001';
    const id = await inbound({ from: GROUP, author, text: '@5521966661002 @5521966661003 olhem isto', mentions: ['5521966661002', '5521966661003@c.us'] });
    const p = await received(id);
    expect(p.data.message).toMatchObject({
      isGroup: true,
      sender: { id: `${author}@c.us` },
      body: '@5521966661002 @5521966661003 olhem isto',
      mentions: ['5521966661002@c.us', '5521966661003@c.us'],
    });
    const view = await acc.get(`/messages/${p.data.message.id}`);
    expect(view.status).toBe(200);
    expect(view.body.mentions).toEqual(['5521966661002@c.us', '5521966661003@c.us']);
  });

  it('delivers a text without mentions without the field', async () => {
    const id = await inbound({ from: '5521966661004', text: 'sem menções' });
    const p = await received(id);
    expect(p.data.message.body).toBe('sem menções');
    expect(p.data.message).not.toHaveProperty('mentions');
  });
});
