import { Message, MessageApi, OmnichannelModule, SetupApi } from '@cirrus/omnichannel_api';
import { Test, TestingModule } from '@nestjs/testing';
import { createServer, Server } from 'node:http';
import { accountClient, ApiClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { MessageExamples } from './guide-examples/message.examples';
import { SetupExamples } from './guide-examples/setup.examples';
import { close, listen } from './support/browser-harness';

jest.setTimeout(90_000);

const ACCOUNT = '9a92ea44-244c-4cda-86be-6a9e32ba8f34';
const GROUP_ID = '120363025555555555@g.us';
/** A small but real PDF: the server decides the media kind from the bytes. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

describe('guide examples 4.1, 5.1, 5.2, 5.7, 6.1, 6.12 against a channel linked in the sandbox', () => {
  let t: TestApp;
  let account: ApiClient;
  let moduleRef: TestingModule;
  let examples: MessageExamples;
  let messageApi: MessageApi;
  let mediaServer: Server;
  let mediaUri: string;
  let channel: { channelId: string; platformConfigId: string };
  let sessionId: string;

  beforeAll(async () => {
    mediaServer = createServer((req, res) =>
      req.url === '/documento.pdf' ? res.writeHead(200, { 'content-type': 'application/pdf' }).end(PDF) : res.writeHead(404).end(),
    );
    mediaUri = `http://127.0.0.1:${await listen(mediaServer)}/documento.pdf`;
    t = await startTestApp('sdkmsg', { WHATSAPP_ENGINE: 'sandbox' });
    account = await accountClient(new ApiClient(t.baseUrl, t.adminKey), ACCOUNT);
    moduleRef = await Test.createTestingModule({
      imports: [OmnichannelModule.forRoot({ baseUrl: t.baseUrl, apiKey: account.key })],
      providers: [SetupExamples, MessageExamples],
    }).compile();
    examples = moduleRef.get(MessageExamples);
    messageApi = moduleRef.get(MessageApi);
    // Guide 1.1 sets the channel up; the sandbox "phone" links it.
    const platformConfig = await moduleRef.get(SetupExamples).setupWhatsappWeb();
    channel = { channelId: platformConfig.channelId, platformConfigId: platformConfig.platformConfigId };
    const linked = await account.post(`/sandbox/channels/${channel.channelId}/link`, {});
    expect(linked.status).toBe(200);
    expect(moduleRef.get(SetupApi)).toBeInstanceOf(SetupApi);
  });

  afterAll(async () => {
    await moduleRef?.close();
    await t?.close();
    await close(mediaServer);
  });

  /** Waits until the message left through WhatsApp Web (status sent or later). */
  async function sent(message: Message): Promise<Message> {
    const end = Date.now() + 30_000;
    for (;;) {
      const current = await messageApi.getMessage({ messageId: message.id });
      if (['sent', 'delivered', 'read'].includes(current.status)) return current;
      if (current.status === 'failed' || Date.now() > end) throw new Error(`message ${message.id} not sent: ${JSON.stringify(current)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function outbox(): Promise<any[]> {
    const res = await account.get(`/sandbox/channels/${channel.channelId}/outbox`);
    expect(res.status).toBe(200);
    return res.body;
  }

  it('4.1 starts a conversation', async () => {
    const response = await examples.startConversation(channel);
    expect(response).toMatchObject({
      created: true,
      clientIdentifier: ACCOUNT,
      service: 'whatsappweb',
      channelId: channel.channelId,
      platformConfigId: channel.platformConfigId,
      clientProviderId: '5521999999999',
      chatId: '5521999999999@c.us',
      isGroup: false,
      platform: 'karoochat',
      userName: 'João Silva',
      companyName: 'Minha Empresa Ltda',
      sessionWithPriority: false,
      status: 'open',
    });
    expect(response.sessionId).toBe(response.id);
    sessionId = response.sessionId;
    // Starting it again returns the open one.
    expect(await examples.startConversation(channel)).toMatchObject({ id: sessionId, created: false });
  });

  it('5.1 sends a text message', async () => {
    const response = await examples.sendText(sessionId);
    expect(response).toMatchObject({ direction: 'outbound', kind: 'text', conversationId: sessionId, agentName: 'Atendente João', fromMe: true });
    expect(response.body).toContain('Olá! Como posso ajudá-lo hoje?');
    const done = await sent(response);
    expect(done.waMessageId).toBeTruthy();
    expect(await outbox()).toContainEqual(
      expect.objectContaining({ kind: 'message', id: done.waMessageId, chatId: '5521999999999@c.us', body: expect.stringContaining('Olá! Como posso ajudá-lo hoje?') }),
    );
  });

  it('5.2 sends a media message (and the two 5.7 examples, which are the same code)', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await examples.sendMedia(sessionId, mediaUri);
      expect(response).toMatchObject({ kind: 'document', conversationId: sessionId, agentName: 'Atendente Maria', media: { mimetype: 'application/pdf', filename: 'documento.pdf' } });
      const done = await sent(response);
      expect(await outbox()).toContainEqual(expect.objectContaining({ kind: 'message', id: done.waMessageId, type: 'document', mimetype: 'application/pdf', filename: 'documento.pdf' }));
    }
  });

  it('6.1 sends a text message to a group, and 6.12 deletes it', async () => {
    const group = await account.put(`/sandbox/channels/${channel.channelId}/groups`, { id: GROUP_ID, subject: 'Clientes VIP', participants: ['5521988887777'] });
    expect(group.status).toBeLessThan(300);
    const response = await examples.sendGroupText({ channelId: channel.channelId, groupId: GROUP_ID });
    expect(response).toMatchObject({ kind: 'text', isGroup: true, chatId: GROUP_ID, platform: 'karoochat', body: 'Mensagem para o grupo' });
    const done = await sent(response);
    expect(await outbox()).toContainEqual(expect.objectContaining({ kind: 'message', id: done.waMessageId, chatId: GROUP_ID, body: 'Mensagem para o grupo' }));

    const deleted = await examples.deleteGroupMessage({ messageId: response.id, senderId: '5521999999999' });
    expect(deleted).toMatchObject({ outcome: 'revoked', message: { id: response.id, revoked: { outcome: 'revoked' } } });
    expect(await outbox()).toContainEqual(expect.objectContaining({ kind: 'revoke', msgId: done.waMessageId }));
  });
});
