import { createChannel, createTag, fieldsOf } from '../contacts/fixtures';
import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';

describe('tags (SDK 3)', () => {
  let t: TestApp;
  let acc: ApiClient;
  let other: ApiClient;

  beforeAll(async () => {
    t = await startTestApp('tags');
    const admin = new ApiClient(t.baseUrl, t.adminKey);
    acc = await accountClient(admin, 'acc-tags');
    other = await accountClient(admin, 'acc-tags-other');
  });
  afterAll(() => t.close());

  describe('3.1 create', () => {
    it('creates a tag as in the guide', async () => {
      const res = await acc.post('/tags', { clientIdentifier: 'acc-tags', name: 'Cliente VIP', color: '#ff0000' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[a-f0-9]{24}$/),
        clientIdentifier: 'acc-tags',
        name: 'Cliente VIP',
        color: '#ff0000',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    });

    it('accepts #RGB, stores colours in lower case and trims names', async () => {
      const res = await acc.post('/tags', { name: '  Short   colour ', color: '#0F0' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name: 'Short colour', color: '#0f0' });
    });

    it('answers 409 TAG_NAME_TAKEN for the same name in any case, but allows it in another account', async () => {
      await createTag(acc, 'Atacado');
      for (const name of ['Atacado', 'ATACADO', ' atacado ']) {
        const res = await acc.post('/tags', { name, color: '#123456' });
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('TAG_NAME_TAKEN');
      }
      expect((await other.post('/tags', { name: 'Atacado', color: '#123456' })).status).toBe(201);
    });

    it('gives one winner when the same name is created concurrently', async () => {
      const results = await Promise.all([1, 2, 3, 4].map(() => acc.post('/tags', { name: 'Race', color: '#abcdef' })));
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    });

    it.each([
      ['a colour name', { name: 'a', color: 'red' }, ['color']],
      ['a five-digit colour', { name: 'a', color: '#12345' }, ['color']],
      ['a colour with non-hex digits', { name: 'a', color: '#ggg' }, ['color']],
      ['a colour without #', { name: 'a', color: 'ff0000' }, ['color']],
      ['missing fields', {}, ['color', 'name']],
      ['a blank name', { name: '   ', color: '#fff' }, ['name']],
      ['a name too long', { name: 'x'.repeat(51), color: '#fff' }, ['name']],
      ['wrong types', { name: 12, color: ['#fff'] }, ['color', 'name']],
      ['an unknown field', { name: 'a', color: '#fff', priority: 1 }, ['priority']],
    ])('answers 400 VALIDATION_FAILED for %s', async (_name, body, fields) => {
      const res = await acc.post('/tags', body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(res.body)).toEqual(fields);
    });
  });

  describe('3.2 to 3.4 list, get, update', () => {
    it('lists the account’s tags in name order, filtered by part of the name in any case', async () => {
      await createTag(acc, 'Lead quente');
      await createTag(acc, 'Lead frio');
      await createTag(other, 'Lead outro');
      const all = await acc.get('/tags');
      expect(all.status).toBe(200);
      const names = all.body.map((x: { name: string }) => x.name);
      expect(names).toEqual([...names].sort((a: string, b: string) => a.toLowerCase().localeCompare(b.toLowerCase())));
      expect(names).not.toContain('Lead outro');
      const leads = await acc.get('/tags?name=LEAD');
      expect(leads.body.map((x: { name: string }) => x.name)).toEqual(['Lead frio', 'Lead quente']);
      expect((await acc.get('/tags?name=quente')).body).toHaveLength(1);
      expect((await acc.get('/tags?name=.*')).body).toEqual([]);
      const bad = await acc.get('/tags?name=');
      expect(bad.status).toBe(400);
      expect((await acc.get('/tags?color=red')).body.code).toBe('VALIDATION_FAILED');
    });

    it('gets a tag by id; another account’s id is 404', async () => {
      const tag = await createTag(acc, 'Get me');
      const res = await acc.get(`/tags/${tag.id}`);
      expect(res.status).toBe(200);
      expect(res.body.name).toBe('Get me');
      const foreign = await other.get(`/tags/${tag.id}`);
      expect(foreign.status).toBe(404);
      expect(foreign.body).toEqual({ statusCode: 404, code: 'TAG_NOT_FOUND', message: expect.any(String), requestId: expect.any(String) });
      expect((await acc.get('/tags/xyz')).body.code).toBe('INVALID_ID');
    });

    it('renames and recolours, refusing a name another tag has', async () => {
      const tag = await createTag(acc, 'Cliente');
      await createTag(acc, 'Cliente Premium');
      const res = await acc.patch(`/tags/${tag.id}`, { clientIdentifier: 'acc-tags', tagId: tag.id, name: 'Cliente Gold', color: '#00FF00' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: tag.id, name: 'Cliente Gold', color: '#00ff00' });
      const recase = await acc.patch(`/tags/${tag.id}`, { name: 'CLIENTE GOLD' });
      expect(recase.status).toBe(200);
      expect(recase.body.name).toBe('CLIENTE GOLD');
      const taken = await acc.patch(`/tags/${tag.id}`, { name: 'cliente premium' });
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('TAG_NAME_TAKEN');
      expect((await acc.get(`/tags/${tag.id}`)).body.name).toBe('CLIENTE GOLD');
    });

    it('refuses bad updates', async () => {
      const tag = await createTag(acc, 'Upd');
      const colour = await acc.patch(`/tags/${tag.id}`, { color: '#12' });
      expect(colour.status).toBe(400);
      expect(fieldsOf(colour.body)).toEqual(['color']);
      const unknown = await acc.patch(`/tags/${tag.id}`, { nome: 'x' });
      expect(fieldsOf(unknown.body)).toEqual(['nome']);
      const mismatch = await acc.patch(`/tags/${tag.id}`, { tagId: '68e54649a3744412be5cc107', name: 'x' });
      expect(mismatch.status).toBe(400);
      expect(mismatch.body.code).toBe('ID_MISMATCH');
      const foreign = await other.patch(`/tags/${tag.id}`, { name: 'stolen' });
      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('TAG_NOT_FOUND');
      expect((await acc.get(`/tags/${tag.id}`)).body.name).toBe('Upd');
    });
  });

  describe('3.5 delete and 3.6 contacts of a tag', () => {
    it('deletes a tag and takes it off every contact (no dangling ids)', async () => {
      const channel = await createChannel(acc);
      const keep = await createTag(acc, 'Keep');
      const drop = await createTag(acc, 'Drop');
      const ids: string[] = [];
      for (const n of ['5511987650001', '5511987650002', '5511987650003']) {
        const c = await acc.post('/contacts', { channelId: channel.id, contactIdentifier: n, type: 'individual', channelType: 'whatsapp', tagIds: [keep.id, drop.id] });
        expect(c.status).toBe(201);
        ids.push(c.body.id);
      }
      expect((await other.delete(`/tags/${drop.id}`)).status).toBe(404);
      const res = await acc.delete(`/tags/${drop.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: drop.id, deleted: true });
      for (const id of ids) expect((await acc.get(`/contacts/${id}`)).body.tagIds).toEqual([keep.id]);
      expect((await acc.get(`/tags/${drop.id}`)).status).toBe(404);
      expect((await acc.delete(`/tags/${drop.id}`)).body.code).toBe('TAG_NOT_FOUND');
      expect((await acc.get(`/contacts?tagIds=${drop.id}`)).body.total).toBe(0);
    });

    it('lists the contacts of a tag, paginated, newest first by default', async () => {
      const channel = await createChannel(acc);
      const tag = await createTag(acc, 'Paged');
      const created: string[] = [];
      for (let i = 0; i < 5; i++) {
        const c = await acc.post('/contacts', {
          channelId: channel.id,
          contactIdentifier: `55119876600${i}0`,
          type: 'individual',
          channelType: 'whatsapp',
          tagIds: i === 4 ? [] : [tag.id],
        });
        created.push(c.body.id);
      }
      const page1 = await acc.get(`/tags/${tag.id}/contacts?limit=3`);
      expect(page1.status).toBe(200);
      expect(page1.body).toMatchObject({ page: 1, limit: 3, total: 4, totalPages: 2 });
      expect(page1.body.data.map((c: { id: string }) => c.id)).toEqual([created[3], created[2], created[1]]);
      const page2 = await acc.get(`/tags/${tag.id}/contacts?limit=3&page=2&clientIdentifier=acc-tags`);
      expect(page2.body.data.map((c: { id: string }) => c.id)).toEqual([created[0]]);
      const asc = await acc.get(`/tags/${tag.id}/contacts?order=asc&limit=2`);
      expect(asc.body.data.map((c: { id: string }) => c.id)).toEqual([created[0], created[1]]);
      const out = await acc.get(`/tags/${tag.id}/contacts?limit=3&page=3`);
      expect(out.status).toBe(400);
      expect(out.body.code).toBe('PAGE_OUT_OF_RANGE');
      expect((await acc.get(`/tags/${tag.id}/contacts?limit=101`)).body.code).toBe('VALIDATION_FAILED');
      expect((await acc.get(`/tags/${tag.id}/contacts?page=0`)).body.code).toBe('VALIDATION_FAILED');
      const foreign = await other.get(`/tags/${tag.id}/contacts`);
      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('TAG_NOT_FOUND');
    });

    it('answers an empty first page for a tag without contacts', async () => {
      const tag = await createTag(acc, 'Lonely');
      const res = await acc.get(`/tags/${tag.id}/contacts`);
      expect(res.body).toEqual({ data: [], page: 1, limit: 30, total: 0, totalPages: 0 });
    });
  });
});
