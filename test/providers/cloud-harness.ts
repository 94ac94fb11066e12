import { CloudSandboxServer } from '../../src/cloud-sandbox/cloud-sandbox-server';
import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { WebhookReceiver } from '../webhooks/receiver';
import { eventually, nextNumber } from '../whatsapp/whatsapp-helpers';

export const META = {
  phoneNumberId: '106540352242922',
  wabaId: '102290129340398',
  accessToken: 'EAAGtest-access-token-0123456789abcdef',
  appSecret: 'meta-app-secret-0123456789',
  verifyToken: 'verify-token-0123456789',
};
/** One key for every app of a rig: a second server process must read the credentials the first stored. */
export const RIG_CREDENTIALS_KEY = 'provider-credentials-key-of-the-cloud-rig-0123456789';
export const D360 = { phoneNumberId: '207650463353033', wabaId: '203301230451409', apiKey: 'd360-api-key-0123456789abcdef' };

export interface CloudRig {
  t: TestApp;
  acc: ApiClient;
  fake: CloudSandboxServer;
  receiver: WebhookReceiver;
  /** POST/GET on the fake's control API. */
  control(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<any>;
  setupMeta(over?: Record<string, unknown>): Promise<any>;
  setupD360(): Promise<any>;
  /** Opens (or returns) the conversation of the channel with a customer; returns its id (the sessionId). */
  startConversation(channel: { id: string; platformConfigId: string; service: string }, customer: string): Promise<string>;
  /** The customer writes (through the fake, which delivers the signed webhook to the server). */
  inbound(phoneNumberId: string, from: string, type: string, payload: unknown, extra?: Record<string, unknown>): Promise<any>;
  outbox(phoneNumberId: string): Promise<any[]>;
  waitFor(id: string, ok: (m: any) => boolean, what?: string): Promise<any>;
  close(): Promise<void>;
}

/** The server against the offline Cloud API (both flavours on one fake), and a platform receiving webhooks. */
export async function startCloudRig(prefix: string, account: string, env: Record<string, string> = {}): Promise<CloudRig> {
  const fake = new CloudSandboxServer({
    numbers: [
      { phoneNumberId: META.phoneNumberId, wabaId: META.wabaId, displayPhoneNumber: '5521933330001', flavour: 'meta', accessToken: META.accessToken, appSecret: META.appSecret },
      { phoneNumberId: D360.phoneNumberId, wabaId: D360.wabaId, displayPhoneNumber: '5521933330002', flavour: 'd360', apiKey: D360.apiKey },
    ],
  });
  const fakeUrl = await fake.start();
  const receiver = await new WebhookReceiver().start();
  const t = await startTestApp(prefix, { WHATSAPP_CLOUD_API_URL: fakeUrl, D360_API_URL: fakeUrl, WHATSAPP_CLOUD_API_VERSION: 'v21.0', OUTBOUND_TIMEOUT_MS: '1500', PROVIDER_CREDENTIALS_KEY: RIG_CREDENTIALS_KEY, ...env });
  const acc = await accountClient(new ApiClient(t.baseUrl, t.adminKey), account);
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${fakeUrl}/_control${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`control ${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const platforms = [{ slug: 'karoochat', callbackUrl: `${receiver.url}/karoochat` }];
  return {
    t,
    acc,
    fake,
    receiver,
    control,
    async setupMeta(over = {}) {
      const res = await acc.post('/channels/setup/whatsappcloud', {
        provider: {
          clientNumber: '5521933330001',
          companyId: 'co',
          phoneNumberId: META.phoneNumberId,
          wabaId: META.wabaId,
          accessToken: META.accessToken,
          appSecret: META.appSecret,
          webhookVerifyToken: META.verifyToken,
          apiVersion: 'v21.0',
        },
        startingPlatform: 'karoochat',
        platforms,
        ...over,
      });
      if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${JSON.stringify(res.body)}`);
      // What a user types into the Meta app dashboard: the channel's webhook URL.
      await control('PUT', `/numbers/${META.phoneNumberId}/webhook`, { url: `${t.baseUrl}/providers/whatsappcloud/${res.body.id}/webhook` });
      return res.body;
    },
    async setupD360() {
      const res = await acc.post('/channels/setup/d360', { provider: { clientNumber: '5521933330002', companyId: 'co', apiKey: D360.apiKey }, startingPlatform: 'karoochat', platforms });
      if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async startConversation(channel, customer) {
      const res = await acc.post(`/conversations/start/${channel.service}`, {
        platformConfigId: channel.platformConfigId,
        channelId: channel.id,
        clientProviderId: customer,
        userName: 'Cliente',
        companyName: 'Loja',
        platform: 'karoochat',
      });
      if (res.status !== 200 && res.status !== 201) throw new Error(`start failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id;
    },
    async inbound(phoneNumberId, from, type, payload, extra = {}) {
      const out = await control('POST', `/numbers/${phoneNumberId}/inbound`, { from, name: 'Cliente', type, payload, ...extra });
      if (out.delivery?.status !== 200) throw new Error(`webhook not accepted: ${JSON.stringify(out.delivery)}`);
      return out.message;
    },
    outbox: (phoneNumberId) => control('GET', `/numbers/${phoneNumberId}/outbox`),
    waitFor: (id, ok, what = 'message condition') =>
      eventually(() => acc.get(`/messages/${id}`), (r) => r.status === 200 && ok(r.body), 20_000, `${what} (${id})`).then((r) => r.body),
    async close(this: CloudRig) {
      // `this.t`: a test may have replaced the app (a restart).
      await this.t.close();
      await fake.stop();
      await receiver.stop();
    },
  };
}

export { eventually, nextNumber };
