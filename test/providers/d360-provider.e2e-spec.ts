import { FILES } from '../messages/messaging-harness';
import { startTestApp } from '../harness/test-app';
import { ApiClient } from '../harness/http';
import { verify } from '../webhooks/receiver';
import { CloudRig, D360, eventually, startCloudRig } from './cloud-harness';

jest.setTimeout(120_000);

const CUSTOMER = '5521966660001';
const KEY = 'provider-credentials-key-for-the-d360-spec-0123';

/** 360dialog's flavour (the guide's "D360"): same bodies at /messages, D360-API-KEY, webhook set through its config API. */
describe('d360 channel against the offline 360dialog API', () => {
  let rig: CloudRig;
  let channel: any;
  let sessionId: string;
  let secret: string;

  beforeAll(async () => {
    rig = await startCloudRig('clouddsx', 'acc-cloud-d360', { PROVIDER_CREDENTIALS_KEY: KEY });
    channel = await rig.setupD360();
    secret = channel.platforms[0].secret;
    await rig.inbound(D360.phoneNumberId, CUSTOMER, 'text', { body: 'Olá' });
    sessionId = await rig.startConversation(channel, CUSTOMER);
  });
  afterAll(async () => rig?.close());

  it("sets 360dialog's webhook to the channel's URL with a secret header, and keeps the key out of reads", async () => {
    const config = rig.fake.state.numbers.get(D360.phoneNumberId)!.config.webhook!;
    expect(config.url).toBe(`${rig.t.baseUrl}/providers/d360/${channel.id}/webhook`);
    const token = config.headers!['x-omnichannel-webhook-token'];
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(JSON.stringify(channel)).not.toContain(D360.apiKey);
    expect(JSON.stringify(channel)).not.toContain(token);
    expect(channel.credentials).toEqual({ apiKey: '…cdef', webhookToken: expect.stringMatching(/^…/) });
  });

  it('refuses a setup whose API key 360dialog rejects, leaving no channel behind', async () => {
    const res = await rig.acc.post('/channels/setup/d360', { provider: { clientNumber: '5521933330009', companyId: 'co', apiKey: 'wrong-key-0123456789' }, startingPlatform: 'karoochat', platforms: [{ slug: 'karoochat', callbackUrl: `${rig.receiver.url}/x` }] });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'PROVIDER_REQUEST_FAILED', details: { reason: 'PROVIDER_AUTH_FAILED' } });
    const list = await rig.acc.get('/channels');
    expect(list.body.map((c: any) => c.provider.clientNumber)).not.toContain('5521933330009');
  });

  it('refuses deliveries without the channel token with 401', async () => {
    const body = JSON.stringify({ object: 'whatsapp_business_account', entry: [] });
    for (const headers of [{}, { 'x-omnichannel-webhook-token': 'guess' }] as Record<string, string>[]) {
      const res = await fetch(`${rig.t.baseUrl}/providers/d360/${channel.id}/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
      expect(res.status).toBe(401);
    }
  });

  it('sends an interactive list (guide 5.7) through /messages with the API key', async () => {
    const res = await rig.acc.post('/messages/interactive', { sessionId, type: 'list', body: 'Escolha um plano', buttonText: 'Planos', sections: [{ title: 'Planos', rows: [{ id: 'basic', title: 'Básico' }, { id: 'pro', title: 'Pro' }] }] });
    expect(res.status).toBe(202);
    const sent = await rig.waitFor(res.body.id, (m) => m.status === 'sent', 'sent');
    const entry = (await rig.outbox(D360.phoneNumberId)).find((e) => e.id === sent.waMessageId);
    expect(entry.request).toMatchObject({ to: CUSTOMER, type: 'interactive', interactive: { type: 'list', body: { text: 'Escolha um plano' }, action: { button: 'Planos', sections: [{ rows: [{ id: 'basic' }, { id: 'pro' }] }] } } });
  });

  it('delivers a list reply and an inbound image (downloaded with the API key) to the platform', async () => {
    const reply = await rig.inbound(D360.phoneNumberId, CUSTOMER, 'interactive', { type: 'list_reply', list_reply: { id: 'pro', title: 'Pro', description: 'o melhor' } });
    const image = await rig.inbound(D360.phoneNumberId, CUSTOMER, 'image', { data: FILES.png.toString('base64'), mime_type: 'image/png', caption: 'foto' });
    const events = await eventually(
      async () => rig.receiver.ofType('message.received').map((r) => verify(secret, r)),
      (all) => [reply.id, image.id].every((id) => all.some((e: any) => e.data.message.waMessageId === id)),
      20_000,
      'both messages',
    );
    const byId = (id: string) => events.find((e: any) => e.data.message.waMessageId === id).data.message;
    expect(byId(reply.id)).toMatchObject({ kind: 'text', body: 'Pro', interactiveReply: { type: 'list_reply', id: 'pro', title: 'Pro', description: 'o melhor' } });
    const img = byId(image.id);
    expect(img).toMatchObject({ kind: 'image', caption: 'foto', media: { mimetype: 'image/png', url: expect.any(String) } });
    const bytes = Buffer.from(await (await fetch(img.media.url)).arrayBuffer());
    expect(bytes.equals(FILES.png)).toBe(true);
  });

  it('lists the approved templates through 360dialog', async () => {
    const res = await rig.acc.get(`/channels/${channel.id}/templates`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([expect.objectContaining({ name: 'hello_world', language: 'en_US', status: 'APPROVED' })]);
  });

  it('loses nothing and sends nothing twice when the server stops mid-burst', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await rig.acc.post('/messages/send', { sessionId, agentName: 'Maria', text: `rajada ${i}`, showAgentName: false });
      expect(res.status).toBe(202);
      ids.push(res.body.id);
    }
    await rig.t.close();
    const again = await startTestApp('clouddsx', {
      __DATABASE: rig.t.database,
      WHATSAPP_CLOUD_API_URL: rig.fake.url,
      D360_API_URL: rig.fake.url,
      PROVIDER_CREDENTIALS_KEY: KEY,
    });
    rig.t = again;
    const acc = new ApiClient(again.baseUrl, rig.acc.key);
    for (const id of ids) await eventually(() => acc.get(`/messages/${id}`), (r) => r.status === 200 && r.body.status === 'sent', 30_000, `sent after restart (${id})`);
    const bodies = (await rig.outbox(D360.phoneNumberId)).filter((e) => e.type === 'text' && /^rajada \d+$/.test((e.request.text as any).body)).map((e) => (e.request.text as any).body);
    expect(bodies.sort()).toEqual(ids.map((_, i) => `rajada ${i}`).sort());
  });
});
