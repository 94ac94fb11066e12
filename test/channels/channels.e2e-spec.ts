import { DomainEvent, DomainEventName, DomainEvents } from '../../src/common/events/domain-events';
import { ChannelsService } from '../../src/channels/channels.service';
import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';

const setupBody = (over: Record<string, unknown> = {}) => ({
  clientIdentifier: 'acc-ch',
  provider: { clientNumber: '5521999999999', companyId: 'my_company_id' },
  startingPlatform: 'karoochat',
  platforms: [{ callbackUrl: 'https://myapp.com/webhook', slug: 'karoochat' }],
  description: 'Canal WhatsApp Web para atendimento',
  ...over,
});

describe('channels (SDK 1.1)', () => {
  let t: TestApp;
  let admin: ApiClient;
  let acc: ApiClient;
  let other: ApiClient;
  let number = 0;
  /** A fresh valid Brazilian mobile per channel (one channel per number and account). */
  const nextNumber = () => `55219${String(80000000 + ++number)}`;

  beforeAll(async () => {
    t = await startTestApp('channels');
    admin = new ApiClient(t.baseUrl, t.adminKey);
    acc = await accountClient(admin, 'acc-ch');
    other = await accountClient(admin, 'acc-ch-other');
  });
  afterAll(() => t.close());

  async function setup(over: Record<string, unknown> = {}) {
    const res = await acc.post('/channels/setup/whatsappweb', setupBody({ provider: { clientNumber: nextNumber(), companyId: 'c1' }, ...over }));
    expect(res.status).toBe(201);
    return res.body;
  }

  describe('setup', () => {
    it('creates a channel with the ids onboarding uses and a secret per platform, shown once', async () => {
      const res = await acc.post('/channels/setup/whatsappweb', setupBody());
      expect(res.status).toBe(201);
      const b = res.body;
      expect(b).toMatchObject({
        clientIdentifier: 'acc-ch',
        service: 'whatsappweb',
        provider: { clientNumber: '5521999999999', companyId: 'my_company_id' },
        startingPlatform: 'karoochat',
        description: 'Canal WhatsApp Web para atendimento',
      });
      expect(b.id).toMatch(/^[a-f0-9]{24}$/);
      expect(b.channelId).toBe(b.id);
      expect(b.platformConfigId).toMatch(/^[a-f0-9]{24}$/);
      expect(b.platformConfigId).not.toBe(b.id);
      expect(b.platforms).toHaveLength(1);
      expect(b.platforms[0]).toMatchObject({ slug: 'karoochat', callbackUrl: 'https://myapp.com/webhook', enabled: true });
      expect(b.platforms[0].secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(b.platforms[0].secret.slice(6), 'base64')).toHaveLength(32);
      expect(b.platforms[0].secretPreview).toBe(`${b.platforms[0].secret.slice(0, 10)}…`);

      const read = await acc.get(`/channels/${b.id}`);
      expect(read.status).toBe(200);
      expect(read.body.platforms[0].secret).toBeUndefined();
      expect(JSON.stringify(read.body)).not.toContain(b.platforms[0].secret.slice(10));
      expect(read.body.platformConfigId).toBe(b.platformConfigId);
    });

    it('normalises the number: the old eight-digit Brazilian mobile is the same channel (409)', async () => {
      const res = await acc.post('/channels/setup/whatsappweb', setupBody({ provider: { clientNumber: '+55 21 9999-9999', companyId: 'x' } }));
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CHANNEL_NUMBER_TAKEN');
      // Another account may use the same number.
      const elsewhere = await other.post('/channels/setup/whatsappweb', setupBody({ clientIdentifier: undefined }));
      expect(elsewhere.status).toBe(201);
    });

    it('gives each platform its own secret', async () => {
      const b = await setup({
        platforms: [
          { slug: 'karoochat', callbackUrl: 'https://a.example.com/hook' },
          { slug: 'crm', callbackUrl: 'http://127.0.0.1:9/hook' },
        ],
      });
      expect(b.platforms.map((p: { slug: string }) => p.slug)).toEqual(['karoochat', 'crm']);
      expect(b.platforms[0].secret).not.toBe(b.platforms[1].secret);
    });

    it('answers 400 UNSUPPORTED_SERVICE for an unknown service', async () => {
      const res = await acc.post('/channels/setup/official', setupBody());
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('UNSUPPORTED_SERVICE');
    });

    it.each([
      ['missing provider', { provider: undefined }, ['provider']],
      ['missing companyId', { provider: { clientNumber: '5521999999999' } }, ['provider.companyId']],
      ['missing clientNumber', { provider: { companyId: 'c' } }, ['provider.clientNumber']],
      ['wrong types', { provider: { clientNumber: 5521, companyId: true }, description: 7 }, ['provider.clientNumber', 'provider.companyId', 'description']],
      ['unknown field', { extra: 1 }, ['extra']],
      ['unknown nested field', { provider: { clientNumber: '5521999999999', companyId: 'c', token: 'x' } }, ['provider.token']],
      ['empty platforms', { platforms: [] }, ['platforms']],
      ['platforms not a list', { platforms: 'karoochat' }, ['platforms']],
      ['bad slug', { platforms: [{ slug: 'Karoo Chat', callbackUrl: 'https://a.example.com' }], startingPlatform: 'karoochat' }, ['platforms[0].slug']],
      ['missing callbackUrl', { platforms: [{ slug: 'karoochat' }] }, ['platforms[0].callbackUrl']],
      ['missing startingPlatform', { startingPlatform: undefined }, ['startingPlatform']],
    ])('answers 400 VALIDATION_FAILED for %s', async (_name, over, fields) => {
      const res = await acc.post('/channels/setup/whatsappweb', setupBody(over));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual([...fields].sort());
    });

    it('answers 400 VALIDATION_FAILED for a body that is not an object', async () => {
      const res = await acc.post('/channels/setup/whatsappweb', [1, 2]);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it('answers 400 INVALID_PHONE_NUMBER for a bad clientNumber', async () => {
      const res = await acc.post('/channels/setup/whatsappweb', setupBody({ provider: { clientNumber: '12345', companyId: 'c' } }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_PHONE_NUMBER');
      expect(res.body.details[0].field).toBe('provider.clientNumber');
    });

    it('answers 400 INVALID_STARTING_PLATFORM when startingPlatform is not a listed slug', async () => {
      const res = await acc.post('/channels/setup/whatsappweb', setupBody({ startingPlatform: 'other' }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_STARTING_PLATFORM');
    });

    it('answers 400 DUPLICATE_PLATFORM_SLUG for a slug listed twice', async () => {
      const platforms = [
        { slug: 'karoochat', callbackUrl: 'https://a.example.com' },
        { slug: 'karoochat', callbackUrl: 'https://b.example.com' },
      ];
      const res = await acc.post('/channels/setup/whatsappweb', setupBody({ platforms }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('DUPLICATE_PLATFORM_SLUG');
    });

    it.each([
      ['a private address', 'http://10.1.2.3/hook', /private/],
      ['the metadata service', 'http://169.254.169.254/latest', /linkLocal/],
      ['a non-http scheme', 'ftp://files.example.com/hook', /http/],
      ['not a URL', 'myapp.com/webhook', /valid URL/],
      ['credentials in the URL', 'https://user:pw@myapp.com/hook', /credentials/],
    ])('answers 400 INVALID_CALLBACK_URL for %s, with the reason', async (_name, callbackUrl, reason) => {
      const res = await acc.post('/channels/setup/whatsappweb', setupBody({ platforms: [{ slug: 'karoochat', callbackUrl }] }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_CALLBACK_URL');
      expect(res.body.details[0].field).toBe('platforms[0].callbackUrl');
      expect(res.body.details[0].messages[0]).toMatch(reason);
    });

    it('answers 403 ACCOUNT_MISMATCH when the body names another account', async () => {
      const res = await acc.post('/channels/setup/whatsappweb', setupBody({ clientIdentifier: 'acc-ch-other' }));
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('ACCOUNT_MISMATCH');
    });
  });

  describe('read, list, update', () => {
    it('lists only the account’s channels and reads a channel by platformConfigId', async () => {
      const b = await setup();
      const list = await acc.get('/channels');
      expect(list.status).toBe(200);
      expect(list.body.map((c: { id: string }) => c.id)).toContain(b.id);
      expect(list.body.every((c: { clientIdentifier: string }) => c.clientIdentifier === 'acc-ch')).toBe(true);
      const cfg = await acc.get(`/platform-configs/${b.platformConfigId}`);
      expect(cfg.status).toBe(200);
      expect(cfg.body.id).toBe(b.id);
    });

    it('answers 404 for ids of another account, never their data', async () => {
      const b = await setup();
      for (const res of [
        await other.get(`/channels/${b.id}`),
        await other.patch(`/channels/${b.id}`, { description: 'x' }),
        await other.delete(`/channels/${b.id}`),
        await other.get(`/channels/${b.id}/platforms`),
        await other.post(`/channels/${b.id}/platforms/karoochat/rotate-secret`),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('CHANNEL_NOT_FOUND');
      }
      const cfg = await other.get(`/platform-configs/${b.platformConfigId}`);
      expect(cfg.status).toBe(404);
      expect(cfg.body.code).toBe('PLATFORM_CONFIG_NOT_FOUND');
      expect((await other.get('/channels')).body.map((c: { id: string }) => c.id)).not.toContain(b.id);
      expect((await acc.get(`/channels/${b.id}`)).body.description).toBe('Canal WhatsApp Web para atendimento');
    });

    it('answers 400 INVALID_ID for a malformed id and 404 for an unknown one', async () => {
      expect((await acc.get('/channels/nope')).body.code).toBe('INVALID_ID');
      expect((await acc.get('/platform-configs/nope')).body.code).toBe('INVALID_ID');
      const missing = await acc.get('/channels/64ef5c84f9deb1326965919e');
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('CHANNEL_NOT_FOUND');
    });

    it('updates startingPlatform, description and companyId', async () => {
      const b = await setup({
        platforms: [
          { slug: 'karoochat', callbackUrl: 'https://a.example.com/hook' },
          { slug: 'karoochatnew', callbackUrl: 'https://b.example.com/hook' },
        ],
      });
      const res = await acc.patch(`/channels/${b.id}`, { startingPlatform: 'karoochatnew', description: 'Loja 2', provider: { companyId: 'c2' } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ startingPlatform: 'karoochatnew', description: 'Loja 2', provider: { clientNumber: b.provider.clientNumber, companyId: 'c2' } });
      const cleared = await acc.patch(`/channels/${b.id}`, { description: '' });
      expect(cleared.body.description).toBeUndefined();
      expect(new Date(cleared.body.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(b.updatedAt).getTime());
    });

    it('refuses a startingPlatform that is not a platform, unknown fields and the number', async () => {
      const b = await setup();
      const bad = await acc.patch(`/channels/${b.id}`, { startingPlatform: 'nope' });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('INVALID_STARTING_PLATFORM');
      const unknown = await acc.patch(`/channels/${b.id}`, { provider: { clientNumber: '5521988887777' }, service: 'x' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.code).toBe('VALIDATION_FAILED');
      expect(unknown.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['provider.clientNumber', 'service']);
      const wrongType = await acc.patch(`/channels/${b.id}`, { description: 5 });
      expect(wrongType.body.code).toBe('VALIDATION_FAILED');
    });

    it('deletes a channel and publishes channel.deleted', async () => {
      const b = await setup();
      const seen: DomainEvent[] = [];
      const off = t.app.get(DomainEvents).on(DomainEventName.ChannelDeleted, (e) => void seen.push(e));
      const res = await acc.delete(`/channels/${b.id}`);
      off();
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: b.id, deleted: true });
      expect((await acc.get(`/channels/${b.id}`)).status).toBe(404);
      expect((await acc.get(`/platform-configs/${b.platformConfigId}`)).status).toBe(404);
      await new Promise((r) => setImmediate(r));
      expect(seen).toEqual([
        expect.objectContaining({ name: 'channel.deleted', clientIdentifier: 'acc-ch', channelId: b.id }),
      ]);
      expect((await acc.delete(`/channels/${b.id}`)).status).toBe(404);
    });
  });

  describe('platform endpoints', () => {
    it('adds an endpoint with its own secret, shown once', async () => {
      const b = await setup();
      const res = await acc.post(`/channels/${b.id}/platforms`, { slug: 'crm', callbackUrl: 'https://crm.example.com/hook' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ slug: 'crm', callbackUrl: 'https://crm.example.com/hook', enabled: true });
      expect(res.body.secret).toMatch(/^whsec_/);
      const list = await acc.get(`/channels/${b.id}/platforms`);
      expect(list.body.map((p: { slug: string }) => p.slug)).toEqual(['karoochat', 'crm']);
      expect(list.body.every((p: { secret?: string }) => p.secret === undefined)).toBe(true);
      const one = await acc.get(`/channels/${b.id}/platforms/crm`);
      expect(one.body.secretPreview).toBe(`${res.body.secret.slice(0, 10)}…`);
    });

    it('refuses a taken slug (409), a bad URL (400) and bad fields (400)', async () => {
      const b = await setup();
      const taken = await acc.post(`/channels/${b.id}/platforms`, { slug: 'karoochat', callbackUrl: 'https://x.example.com' });
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('PLATFORM_SLUG_TAKEN');
      const url = await acc.post(`/channels/${b.id}/platforms`, { slug: 'crm', callbackUrl: 'http://192.168.0.10/hook' });
      expect(url.status).toBe(400);
      expect(url.body.code).toBe('INVALID_CALLBACK_URL');
      const fields = await acc.post(`/channels/${b.id}/platforms`, { slug: 3, other: 'x' });
      expect(fields.status).toBe(400);
      expect(fields.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['callbackUrl', 'other', 'slug']);
    });

    it('updates the callbackUrl and re-enables an endpoint delivery disabled', async () => {
      const b = await setup();
      const channels = t.app.get(ChannelsService);
      await channels.disableEndpoint('acc-ch', b.id, 'karoochat', 'endpoint answered 410 Gone');
      const disabled = await acc.get(`/channels/${b.id}/platforms/karoochat`);
      expect(disabled.body).toMatchObject({ enabled: false, disabledReason: 'endpoint answered 410 Gone' });
      const res = await acc.patch(`/channels/${b.id}/platforms/karoochat`, { callbackUrl: 'https://myapp.com/webhook/v2', enabled: true });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ slug: 'karoochat', callbackUrl: 'https://myapp.com/webhook/v2', enabled: true, secretPreview: expect.any(String) });
      const bad = await acc.patch(`/channels/${b.id}/platforms/karoochat`, { callbackUrl: 'http://localhost.localdomain.internal.0x7f000001/' });
      expect(bad.status).toBe(400);
      const missing = await acc.patch(`/channels/${b.id}/platforms/nope`, { enabled: false });
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('PLATFORM_NOT_FOUND');
    });

    it('removes an endpoint but never the starting one', async () => {
      const b = await setup({
        platforms: [
          { slug: 'karoochat', callbackUrl: 'https://a.example.com/hook' },
          { slug: 'crm', callbackUrl: 'https://b.example.com/hook' },
        ],
      });
      const starting = await acc.delete(`/channels/${b.id}/platforms/karoochat`);
      expect(starting.status).toBe(422);
      expect(starting.body.code).toBe('STARTING_PLATFORM_NOT_REMOVABLE');
      const res = await acc.delete(`/channels/${b.id}/platforms/crm`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ slug: 'crm', deleted: true });
      expect((await acc.get(`/channels/${b.id}/platforms/crm`)).body.code).toBe('PLATFORM_NOT_FOUND');
      expect((await acc.delete(`/channels/${b.id}/platforms/crm`)).status).toBe(404);
    });

    it('rotates a secret: the new one is shown once, delivery gets it and, for a while, the previous one', async () => {
      const b = await setup();
      const first = b.platforms[0].secret as string;
      const res = await acc.post(`/channels/${b.id}/platforms/karoochat/rotate-secret`);
      expect(res.status).toBe(200);
      expect(res.body.secret).toMatch(/^whsec_/);
      expect(res.body.secret).not.toBe(first);
      expect(new Date(res.body.previousSecretExpiresAt).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
      const endpoint = await t.app.get(ChannelsService).getEndpointForDelivery('acc-ch', b.id, 'karoochat');
      expect(endpoint).toEqual({ slug: 'karoochat', callbackUrl: 'https://myapp.com/webhook', enabled: true, secret: res.body.secret, previousSecret: first });
      expect(await t.app.get(ChannelsService).getEndpointForDelivery('acc-ch-other', b.id, 'karoochat')).toBeUndefined();
      expect((await acc.post(`/channels/${b.id}/platforms/nope/rotate-secret`)).body.code).toBe('PLATFORM_NOT_FOUND');
    });

    it('keeps concurrent endpoint changes (no lost update)', async () => {
      const b = await setup();
      const adds = await Promise.all(
        ['p1', 'p2', 'p3', 'p4'].map((slug) => acc.post(`/channels/${b.id}/platforms`, { slug, callbackUrl: `https://${slug}.example.com/hook` })),
      );
      expect(adds.map((r) => r.status)).toEqual([201, 201, 201, 201]);
      const list = await acc.get(`/channels/${b.id}/platforms`);
      expect(list.body.map((p: { slug: string }) => p.slug).sort()).toEqual(['karoochat', 'p1', 'p2', 'p3', 'p4']);
    });
  });

  it('lets the admin key act on an account it names', async () => {
    const named = await admin.get('/channels?clientIdentifier=acc-ch');
    expect(named.status).toBe(200);
    expect(named.body.length).toBeGreaterThan(0);
    expect(named.body.every((c: { clientIdentifier: string }) => c.clientIdentifier === 'acc-ch')).toBe(true);
    const unnamed = await admin.get('/channels');
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.code).toBe('ACCOUNT_REQUIRED');
  });

  it('documents every channel, contact and tag route in Swagger with the guide’s examples', async () => {
    const doc = (await admin.withKey(undefined).get('/docs-json')).body;
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    for (const r of [
      'POST /channels/setup/{service}',
      'GET /channels',
      'GET /channels/{channelId}',
      'PATCH /channels/{channelId}',
      'DELETE /channels/{channelId}',
      'GET /channels/{channelId}/platforms',
      'POST /channels/{channelId}/platforms',
      'GET /channels/{channelId}/platforms/{slug}',
      'PATCH /channels/{channelId}/platforms/{slug}',
      'DELETE /channels/{channelId}/platforms/{slug}',
      'POST /channels/{channelId}/platforms/{slug}/rotate-secret',
      'GET /platform-configs/{platformConfigId}',
      'POST /contacts',
      'GET /contacts',
      'GET /contacts/{contactId}',
      'PATCH /contacts/{contactId}',
      'DELETE /contacts/{contactId}/platform',
      'GET /contacts/{contactId}/tags',
      'POST /contacts/{contactId}/tags',
      'DELETE /contacts/{contactId}/tags',
      'POST /tags',
      'GET /tags',
      'GET /tags/{tagId}',
      'PATCH /tags/{tagId}',
      'DELETE /tags/{tagId}',
      'GET /tags/{tagId}/contacts',
    ])
      expect(routes).toContain(r);
    const schemas = doc.components.schemas;
    expect(schemas.SetupWhatsappWebDto.properties.startingPlatform.example).toBe('karoochat');
    expect(schemas.CreateContactDto.properties.customName.example).toBe('João (Mercearia)');
    expect(schemas.CreateTagDto.properties.name.example).toBe('Cliente VIP');
  });

  it('lists channels of a service for every account (boot restore)', async () => {
    const all = await t.app.get(ChannelsService).listAllByService('whatsappweb');
    const accounts = new Set(all.map((c) => c.clientIdentifier));
    expect(accounts).toEqual(new Set(['acc-ch', 'acc-ch-other']));
  });
});
