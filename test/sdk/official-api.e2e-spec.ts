import {
  Message,
  MessageApi,
  MessageServiceEnum,
  MessageTemplate,
  OmnichannelClient,
  OmnichannelError,
  PlatformConfig,
  RequestLocationDto,
  SendInteractiveDto,
  SendTemplateDto,
  SetupApi,
  SetupD360Dto,
  SetupWhatsappCloudDto,
  SetupWhatsappWebDto,
  StartConversationDto,
  WebhookInteractiveReply,
  WebhookPayload,
  WebhookPricing,
} from '@cirrus/omnichannel_api';
import { CloudRig, D360, eventually, META, startCloudRig } from '../providers/cloud-harness';
import { verify } from '../webhooks/receiver';

// Booting the app and the fake, and waiting for the send queue, need more than 5 s under load.
jest.setTimeout(120_000);

const ACCOUNT = '9a92ea44-244c-4cda-86be-6a9e32ba8f34';
const CUSTOMER = '5521966660042';

/**
 * The SDK against the server with official-API channels (`whatsappcloud`, `d360`) on the offline Cloud
 * API fake (src/cloud-sandbox): setup typed by service, the guide's 5.7 / 5.10 on a d360 channel,
 * templates, the webhook fields the official API adds, and WhatsApp Web still refusing what it cannot do.
 */
describe('SDK with official WhatsApp Business Platform channels (whatsappcloud, d360)', () => {
  let rig: CloudRig;
  let setupApi: SetupApi;
  let messageApi: MessageApi;
  let callbackUrl: string;
  let d360: PlatformConfig;
  let sessionId: string;

  beforeAll(async () => {
    rig = await startCloudRig('sdkofficial', ACCOUNT, { PROVIDER_CREDENTIALS_KEY: 'provider-credentials-key-for-the-sdk-spec-0123' });
    const client = new OmnichannelClient({ baseUrl: rig.t.baseUrl, apiKey: rig.acc.key });
    setupApi = new SetupApi(client);
    messageApi = new MessageApi(client);
    callbackUrl = `${rig.receiver.url}/karoochat`;
  });
  afterAll(async () => rig?.close());

  /** Waits until the fake accepted the message, and returns the fake's outbox entry of it. */
  async function sentThrough(phoneNumberId: string, message: Message): Promise<{ message: Message; entry: any }> {
    const sent = await eventually(() => messageApi.getMessage({ messageId: message.id }), (m) => !['queued', 'sending'].includes(m.status), 20_000, `${message.kind} sent`);
    expect(sent).toMatchObject({ status: 'sent', waMessageId: expect.stringMatching(/^wamid\./) });
    const entry = (await rig.outbox(phoneNumberId)).find((e) => e.id === sent.waMessageId);
    expect(entry).toBeDefined();
    return { message: sent, entry };
  }

  /** The d360 channel's webhook deliveries so far, verified with its secret and typed as the SDK exports them. */
  const webhooks = (): WebhookPayload[] =>
    rig.receiver.received.filter((r) => (JSON.parse(r.body) as { channelId?: string }).channelId === d360.channelId).map((r) => verify(d360.platforms[0].secret, r) as WebhookPayload);

  describe('SetupApi.setup, typed by service', () => {
    it('sets up a d360 channel: the API key stays on the server, 360dialog gets the webhook', async () => {
      const setupDto: SetupD360Dto = {
        clientIdentifier: ACCOUNT,
        provider: { clientNumber: '5521933330002', companyId: 'my_company_id', apiKey: D360.apiKey },
        startingPlatform: 'karoochat',
        platforms: [{ callbackUrl, slug: 'karoochat' }],
        description: 'Canal 360dialog para atendimento',
      };
      d360 = await setupApi.setup(setupDto, MessageServiceEnum.d360);
      expect(d360).toMatchObject({
        channelId: d360.id,
        service: 'd360',
        clientIdentifier: ACCOUNT,
        provider: { clientNumber: '5521933330002', companyId: 'my_company_id' },
        credentials: { apiKey: '…cdef' },
        platforms: [{ slug: 'karoochat', secret: expect.stringMatching(/^whsec_/) }],
      });
      expect(JSON.stringify(d360)).not.toContain(D360.apiKey);
      expect(rig.fake.state.numbers.get(D360.phoneNumberId)!.config.webhook!.url).toBe(`${rig.t.baseUrl}/providers/d360/${d360.channelId}/webhook`);
      expect(await setupApi.getChannel({ channelId: d360.channelId })).toMatchObject({ service: 'd360', credentials: { apiKey: '…cdef' } });
    });

    it('sets up a whatsappcloud channel with the number ids and the Meta app secrets (previews only in reads)', async () => {
      const setupDto: SetupWhatsappCloudDto = {
        provider: {
          clientNumber: '5521933330001',
          companyId: 'my_company_id',
          phoneNumberId: META.phoneNumberId,
          wabaId: META.wabaId,
          accessToken: META.accessToken,
          appSecret: META.appSecret,
          webhookVerifyToken: META.verifyToken,
          apiVersion: 'v21.0',
        },
        startingPlatform: 'karoochat',
        platforms: [{ callbackUrl, slug: 'karoochat' }],
      };
      const cloud = await setupApi.setup(setupDto, MessageServiceEnum.whatsappcloud);
      expect(cloud).toMatchObject({
        service: 'whatsappcloud',
        provider: { clientNumber: '5521933330001', phoneNumberId: META.phoneNumberId, wabaId: META.wabaId, apiVersion: 'v21.0' },
        credentials: { accessToken: '…cdef' },
      });
      for (const secret of [META.accessToken, META.appSecret, META.verifyToken]) expect(JSON.stringify(cloud)).not.toContain(secret);
      // What a user types into the Meta app dashboard; then the channel works like any other.
      await rig.control('PUT', `/numbers/${META.phoneNumberId}/webhook`, { url: `${rig.t.baseUrl}/providers/whatsappcloud/${cloud.channelId}/webhook` });
      await rig.inbound(META.phoneNumberId, CUSTOMER, 'text', { body: 'Oi' });
      const conversation = await messageApi.startConversation(
        { platformConfigId: cloud.platformConfigId, channelId: cloud.channelId, clientProviderId: CUSTOMER, userName: 'Cliente', companyName: 'Loja', platform: 'karoochat' },
        MessageServiceEnum.whatsappcloud,
      );
      expect(conversation).toMatchObject({ service: 'whatsappcloud', channelId: cloud.channelId });
      const text = await messageApi.sendMessage({ agentName: 'Maria', sessionId: conversation.id, text: 'Olá pela Cloud API', showAgentName: false });
      const { entry } = await sentThrough(META.phoneNumberId, text);
      expect(entry.request).toMatchObject({ to: CUSTOMER, type: 'text', text: { body: 'Olá pela Cloud API' } });
    });

    it('refuses a setup body of another service at compile time, and a wrong key at run time', async () => {
      const web: SetupWhatsappWebDto = { provider: { clientNumber: '5521933330009', companyId: 'x' }, startingPlatform: 'karoochat', platforms: [{ callbackUrl, slug: 'karoochat' }] };
      // @ts-expect-error a d360 channel needs the provider's apiKey
      const missingKey = await setupApi.setup(web, MessageServiceEnum.d360).catch((e: unknown) => e);
      expect(missingKey).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      const wrongKey = await setupApi.setup({ ...web, provider: { ...web.provider, apiKey: 'wrong-key-0123456789' } }, MessageServiceEnum.d360).catch((e: unknown) => e);
      expect(wrongKey).toBeInstanceOf(OmnichannelError);
      expect(wrongKey).toMatchObject({ status: 502, code: 'PROVIDER_REQUEST_FAILED', details: { reason: 'PROVIDER_AUTH_FAILED' } });
      expect((await setupApi.getChannels()).map((c) => c.provider.clientNumber)).not.toContain('5521933330009');
    });
  });

  describe('messages on the d360 channel (guide 4.1, 5.7, 5.10, templates)', () => {
    beforeAll(async () => {
      // The customer writes first: that opens the 24 h customer service window.
      await rig.inbound(D360.phoneNumberId, CUSTOMER, 'text', { body: 'Olá' });
      const payload: StartConversationDto = {
        platformConfigId: d360.platformConfigId,
        channelId: d360.channelId,
        clientProviderId: CUSTOMER,
        userName: 'João Silva',
        companyName: 'Minha Empresa Ltda',
        platform: 'karoochat',
      };
      sessionId = (await messageApi.startConversation(payload, MessageServiceEnum.d360)).id;
    });

    it('5.7 sends an interactive list, answered with the stored message', async () => {
      const payload: SendInteractiveDto = {
        sessionId,
        type: 'list',
        header: 'Atendimento',
        body: 'Escolha um plano',
        footer: 'Loja Exemplo',
        buttonText: 'Ver planos',
        sections: [
          { title: 'Mensal', rows: [{ id: 'basic', title: 'Básico', description: 'R$ 10' }, { id: 'pro', title: 'Pro', description: 'R$ 30' }] },
          { title: 'Anual', rows: [{ id: 'pro-year', title: 'Pro anual' }] },
        ],
      };
      const message = await messageApi.sendInteractive(payload);
      expect(message).toMatchObject({ kind: 'interactive', status: 'queued', direction: 'outbound', conversationId: sessionId, interactive: { type: 'list', buttonText: 'Ver planos' } });
      const { entry } = await sentThrough(D360.phoneNumberId, message);
      expect(entry).toMatchObject({ type: 'interactive' });
      expect(entry.request).toEqual(
        expect.objectContaining({
          to: CUSTOMER,
          type: 'interactive',
          interactive: {
            type: 'list',
            header: { type: 'text', text: 'Atendimento' },
            body: { text: 'Escolha um plano' },
            footer: { text: 'Loja Exemplo' },
            action: {
              button: 'Ver planos',
              sections: [
                { title: 'Mensal', rows: [{ id: 'basic', title: 'Básico', description: 'R$ 10' }, { id: 'pro', title: 'Pro', description: 'R$ 30' }] },
                { title: 'Anual', rows: [{ id: 'pro-year', title: 'Pro anual' }] },
              ],
            },
          },
        }),
      );
    });

    it('5.7 sends reply buttons (with an Idempotency-Key: a retried call sends nothing twice)', async () => {
      const payload: SendInteractiveDto = {
        sessionId,
        type: 'button',
        body: 'Podemos confirmar seu pedido?',
        buttons: [
          { id: 'yes', title: 'Sim' },
          { id: 'no', title: 'Não' },
        ],
      };
      const message = await messageApi.sendInteractive(payload, { idempotencyKey: 'pedido-42-confirmar' });
      expect(message).toMatchObject({ kind: 'interactive', interactive: { type: 'button', buttons: [{ id: 'yes' }, { id: 'no' }] } });
      const { entry } = await sentThrough(D360.phoneNumberId, message);
      expect(entry.request).toMatchObject({
        to: CUSTOMER,
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'Podemos confirmar seu pedido?' },
          action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Sim' } }, { type: 'reply', reply: { id: 'no', title: 'Não' } }] },
        },
      });
      const again = await messageApi.sendInteractive(payload, { idempotencyKey: 'pedido-42-confirmar' });
      expect(again.id).toBe(message.id);
      expect((await rig.outbox(D360.phoneNumberId)).filter((e) => (e.request.interactive as any)?.body?.text === 'Podemos confirmar seu pedido?')).toHaveLength(1);
    });

    it("delivers the customer's tap as message.received with interactiveReply", async () => {
      const reply = await rig.inbound(D360.phoneNumberId, CUSTOMER, 'interactive', { type: 'button_reply', button_reply: { id: 'yes', title: 'Sim' } });
      const received = await eventually(
        async () => webhooks().find((e) => e.type === 'message.received' && e.data.message.waMessageId === reply.id),
        (e) => e !== undefined,
        20_000,
        'the reply webhook',
      );
      if (received?.type !== 'message.received') throw new Error('unreachable');
      const tapped: WebhookInteractiveReply | undefined = received.data.message.interactiveReply;
      expect(received.data.message).toMatchObject({ kind: 'text', body: 'Sim' });
      expect(tapped).toEqual({ type: 'button_reply', id: 'yes', title: 'Sim' });
    });

    it('5.10 asks for the location', async () => {
      const payload: RequestLocationDto = { sessionId, text: 'Pode compartilhar sua localização?' };
      const message = await messageApi.requestLocation(payload);
      expect(message).toMatchObject({ kind: 'interactive', interactive: { type: 'location_request' } });
      const { entry } = await sentThrough(D360.phoneNumberId, message);
      expect(entry.request).toMatchObject({
        to: CUSTOMER,
        type: 'interactive',
        interactive: { type: 'location_request_message', body: { text: 'Pode compartilhar sua localização?' }, action: { name: 'send_location' } },
      });
    });

    it("lists the account's templates and sends one with its parameters; the status webhook carries pricing", async () => {
      await rig.control('POST', `/numbers/${D360.phoneNumberId}/templates`, {
        name: 'pedido_confirmado',
        language: 'pt_BR',
        category: 'UTILITY',
        components: [{ type: 'BODY', text: 'Olá {{1}}, seu pedido foi confirmado' }],
      });
      await rig.control('POST', `/numbers/${D360.phoneNumberId}/templates`, { name: 'promo_rascunho', language: 'pt_BR', status: 'PENDING', category: 'MARKETING' });
      const approved: MessageTemplate[] = await messageApi.listTemplates({ channelId: d360.channelId });
      expect(approved.map((t) => `${t.name}/${t.language}/${t.status}`).sort()).toEqual(['hello_world/en_US/APPROVED', 'pedido_confirmado/pt_BR/APPROVED']);
      expect(approved.find((t) => t.name === 'pedido_confirmado')).toMatchObject({ category: 'UTILITY', components: [{ type: 'BODY' }] });
      const all = await messageApi.listTemplates({ channelId: d360.channelId, status: 'all' });
      expect(all.map((t) => t.name)).toContain('promo_rascunho');

      const payload: SendTemplateDto = {
        sessionId,
        name: 'pedido_confirmado',
        language: 'pt_BR',
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] }],
      };
      const message = await messageApi.sendTemplate(payload, { idempotencyKey: 'pedido-42-template' });
      expect(message).toMatchObject({ kind: 'template', status: 'queued', template: { name: 'pedido_confirmado', language: 'pt_BR' } });
      const { message: sent, entry } = await sentThrough(D360.phoneNumberId, message);
      expect(entry.request).toMatchObject({
        to: CUSTOMER,
        type: 'template',
        template: { name: 'pedido_confirmado', language: { code: 'pt_BR' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] }] },
      });

      await rig.control('POST', `/numbers/${D360.phoneNumberId}/statuses`, { id: sent.waMessageId, status: 'delivered' });
      const delivered = await eventually(
        async () => webhooks().find((e) => e.type === 'message.status' && e.data.messageId === message.id && e.data.status === 'delivered'),
        (e) => e !== undefined,
        20_000,
        'the delivered webhook',
      );
      if (delivered?.type !== 'message.status') throw new Error('unreachable');
      const pricing: WebhookPricing | undefined = delivered.data.pricing;
      expect(pricing).toMatchObject({ category: 'utility' });
    });

    it('refuses a template the account does not have approved, with the typed error', async () => {
      const error = await messageApi.sendTemplate({ sessionId, name: 'promo_rascunho', language: 'pt_BR' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OmnichannelError);
      expect(error).toMatchObject({ status: 422, code: 'TEMPLATE_NOT_FOUND', details: { name: 'promo_rascunho', language: 'pt_BR', status: 'PENDING' } });
    });
  });

  describe('a whatsappweb channel', () => {
    let web: PlatformConfig;
    let webSession: string;

    beforeAll(async () => {
      const setupDto: SetupWhatsappWebDto = {
        provider: { clientNumber: '5521999990042', companyId: 'my_company_id' },
        startingPlatform: 'karoochat',
        platforms: [{ callbackUrl, slug: 'karoochat' }],
        description: 'Canal WhatsApp Web para atendimento',
      };
      web = await setupApi.setup(setupDto, MessageServiceEnum.whatsappweb); // the guide's call, unchanged
      expect((await rig.acc.post(`/sandbox/channels/${web.channelId}/link`, {})).status).toBe(200);
      webSession = (
        await messageApi.startConversation(
          { platformConfigId: web.platformConfigId, channelId: web.channelId, clientProviderId: '5521999999999', companyName: 'Minha Empresa Ltda', platform: 'karoochat' },
          MessageServiceEnum.whatsappweb,
        )
      ).id;
    });

    it('still rejects interactive messages, location requests and templates with ENGINE_FEATURE_UNSUPPORTED', async () => {
      const interactive = await messageApi.sendInteractive({ sessionId: webSession, type: 'button', body: 'Escolha', buttons: [{ id: 'y', title: 'Sim' }] }).catch((e: unknown) => e);
      expect(interactive).toBeInstanceOf(OmnichannelError);
      expect(interactive).toMatchObject({ status: 422, code: 'ENGINE_FEATURE_UNSUPPORTED', details: expect.objectContaining({ feature: 'interactive' }) });
      await expect(messageApi.requestLocation({ sessionId: webSession, text: 'Onde você está?' })).rejects.toMatchObject({ status: 422, code: 'ENGINE_FEATURE_UNSUPPORTED' });
      await expect(messageApi.sendTemplate({ sessionId: webSession, name: 'hello_world', language: 'en_US' })).rejects.toMatchObject({ status: 422, code: 'ENGINE_FEATURE_UNSUPPORTED' });
      await expect(messageApi.listTemplates({ channelId: web.channelId })).rejects.toMatchObject({
        status: 422,
        code: 'ENGINE_FEATURE_UNSUPPORTED',
        details: expect.objectContaining({ feature: 'template' }),
      });
      // Nothing was stored for the refused sends.
      expect((await messageApi.getConversationMessages({ conversationId: webSession })).total).toBe(0);
    });
  });
});
