import { DomainEvent, DomainEvents } from '../../src/common/events/domain-events';
import { ConversationsRepository } from '../../src/conversations/conversations.repository';
import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';

describe('conversations (SDK 4.1)', () => {
  let t: TestApp;
  let acc: ApiClient;
  let other: ApiClient;
  let channel: { id: string; platformConfigId: string };
  const events: DomainEvent[] = [];

  const start = (over: Record<string, unknown> = {}, service = 'whatsappweb', client = acc) =>
    client.post(`/conversations/start/${service}`, {
      platformConfigId: channel.platformConfigId,
      channelId: channel.id,
      clientProviderId: '5521988887777',
      userName: 'João Silva',
      companyName: 'Minha Empresa Ltda',
      platform: 'karoochat',
      sessionWithPriority: true,
      ...over,
    });

  beforeAll(async () => {
    t = await startTestApp('conversations');
    const admin = new ApiClient(t.baseUrl, t.adminKey);
    acc = await accountClient(admin, 'acc-conv');
    other = await accountClient(admin, 'acc-conv-other');
    t.app.get(DomainEvents).on('*', (e) => void (e.name.startsWith('conversation.') && events.push(e)));
    const res = await acc.post('/channels/setup/whatsappweb', {
      provider: { clientNumber: '5521999990001', companyId: 'c1' },
      startingPlatform: 'karoochat',
      platforms: [
        { callbackUrl: 'https://myapp.com/webhook', slug: 'karoochat' },
        { callbackUrl: 'https://other.example.com/webhook', slug: 'crm' },
      ],
    });
    expect(res.status).toBe(201);
    channel = res.body;
  });
  afterAll(() => t.close());

  it('starts a conversation, creating the contact, and keeps the guide fields', async () => {
    const res = await start();
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      created: true,
      status: 'open',
      channelId: channel.id,
      platformConfigId: channel.platformConfigId,
      clientProviderId: '5521988887777',
      chatId: '5521988887777@c.us',
      userName: 'João Silva',
      companyName: 'Minha Empresa Ltda',
      platform: 'karoochat',
      sessionWithPriority: true,
      service: 'whatsappweb',
      isGroup: false,
    });
    expect(res.body.sessionId).toBe(res.body.id);
    const contact = await acc.get(`/contacts/${res.body.contactId}`);
    expect(contact.status).toBe(200);
    expect(contact.body).toMatchObject({ contactIdentifier: '5521988887777', name: 'João Silva', channelId: channel.id });
    expect(events.map((e) => [e.name, e.payload.conversationId])).toContainEqual(['conversation.started', res.body.id]);
  });

  it('returns the open conversation on a second start (200, created=false)', async () => {
    const first = await start({ clientProviderId: '+55 21 98888-6666' });
    const again = await start({ clientProviderId: '5521988886666', sessionWithPriority: false });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, created: false, sessionWithPriority: true });
  });

  it('gives one conversation to simultaneous starts (enforced by the database)', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => start({ clientProviderId: '5521977776666' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const listed = await acc.get(`/conversations?contactId=${results[0].body.contactId}&status=open`);
    expect(listed.body.total).toBe(1);
  });

  it('refuses a second open conversation with the same key in the database itself', async () => {
    const repo = t.app.get(ConversationsRepository, { strict: false });
    const doc = {
      service: 'whatsappweb', channelId: channel.id, platformConfigId: channel.platformConfigId, contactId: '64ef5c84f9deb13269659100',
      clientProviderId: '5521900000000', chatId: '5521900000000@c.us', isGroup: false, platform: 'karoochat', sessionWithPriority: false,
      openKey: `${channel.id}:64ef5c84f9deb13269659100:karoochat`,
    };
    const [a, b] = await Promise.all([repo.insertOpen('acc-conv', doc), repo.insertOpen('acc-conv', doc)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const winner = (a ?? b)!;
    expect(await repo.end('acc-conv', winner.id)).toBe(true);
    expect(await repo.insertOpen('acc-conv', doc)).toBeDefined();
  });

  it('opens separate conversations per platform and a new one after the end', async () => {
    const a = await start({ clientProviderId: '5521966665555' });
    const b = await start({ clientProviderId: '5521966665555', platform: 'crm' });
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
    expect(b.body.contactId).toBe(a.body.contactId);

    const ended = await acc.post(`/conversations/${a.body.id}/end`);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ id: a.body.id, status: 'ended', endedAt: expect.any(String) });
    const endedAgain = await acc.post(`/conversations/${a.body.id}/end`);
    expect(endedAgain.status).toBe(200);
    expect(endedAgain.body.endedAt).toBe(ended.body.endedAt);

    const reopened = await start({ clientProviderId: '5521966665555' });
    expect(reopened.status).toBe(201);
    expect(reopened.body.id).not.toBe(a.body.id);
    expect(events.filter((e) => e.name === 'conversation.ended').map((e) => e.payload.conversationId)).toEqual([a.body.id]);
  });

  it('starts group conversations from a group id', async () => {
    const res = await start({ clientProviderId: '120363012345678901@g.us', userName: 'Grupo' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ isGroup: true, chatId: '120363012345678901@g.us', clientProviderId: '120363012345678901@g.us' });
  });

  it('lists with filters and pagination', async () => {
    const all = await acc.get(`/conversations?channelId=${channel.id}&limit=2&page=1&order=asc`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ page: 1, limit: 2 });
    expect(all.body.data).toHaveLength(2);
    expect(all.body.total).toBeGreaterThanOrEqual(6);
    const crm = await acc.get('/conversations?platform=crm');
    expect(crm.body.data.every((c: { platform: string }) => c.platform === 'crm')).toBe(true);
    expect(crm.body.total).toBe(1);
    const ended = await acc.get('/conversations?status=ended');
    expect(ended.body.total).toBe(2);
    expect((await acc.get('/conversations?page=99')).body.code).toBe('PAGE_OUT_OF_RANGE');
    expect((await acc.get('/conversations?status=closed')).body.code).toBe('VALIDATION_FAILED');
  });

  it('answers each bad start with its code', async () => {
    expect((await start({}, 'telegram')).body.code).toBe('UNSUPPORTED_SERVICE');
    const noCompany = await start({ companyName: undefined });
    expect(noCompany.status).toBe(400);
    expect(noCompany.body.details).toContainEqual(expect.objectContaining({ field: 'companyName' }));
    expect((await start({ platformConfigId: channel.id })).body.code).toBe('PLATFORM_CONFIG_MISMATCH');
    expect((await start({ platform: 'nope' })).body.code).toBe('UNKNOWN_PLATFORM');
    expect((await start({ clientProviderId: 'abc' })).body.code).toBe('INVALID_PHONE_NUMBER');
    const missing = await start({ channelId: '64ef5c84f9deb1326965919e' });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('CHANNEL_NOT_FOUND');
    const foreign = await start({}, 'whatsappweb', other);
    expect(foreign.status).toBe(404);
    expect((await acc.get('/conversations/64ef5c84f9deb1326965919e')).body.code).toBe('CONVERSATION_NOT_FOUND');
    expect((await acc.get('/conversations/nope')).body.code).toBe('INVALID_ID');
  });

  it('documents conversations and messages in the OpenAPI description', async () => {
    const res = await fetch(`${t.baseUrl}/docs-json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    for (const path of [
      '/conversations/start/{service}', '/conversations', '/conversations/{id}', '/conversations/{id}/end', '/conversations/{id}/messages',
      '/contacts/{contactId}/messages', '/messages/send', '/messages/group', '/messages/sticker', '/messages/contacts', '/messages/location',
      '/messages/address', '/messages/reaction', '/messages/forward', '/messages/delete', '/messages/interactive', '/messages/location-request',
      '/messages/{id}', '/media/{mediaId}',
    ]) expect(Object.keys(doc.paths)).toContain(path);
    expect(Object.keys(doc.paths['/messages/send'].post as object)).toContain('responses');
  });

  it('keeps accounts apart', async () => {
    const mine = await start({ clientProviderId: '5521955554444' });
    const peek = await other.get(`/conversations/${mine.body.id}`);
    expect(peek.status).toBe(404);
    expect((await other.post(`/conversations/${mine.body.id}/end`)).status).toBe(404);
    expect((await other.get('/conversations')).body.total).toBe(0);
  });
});
