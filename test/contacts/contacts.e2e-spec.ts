import { ContactsService } from '../../src/contacts/contacts.service';
import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { createChannel, createTag, fieldsOf } from './fixtures';

describe('contacts (SDK 2)', () => {
  let t: TestApp;
  let acc: ApiClient;
  let other: ApiClient;
  let channel: { id: string };
  let otherChannel: { id: string };
  let vip: { id: string };
  let foreignTag: { id: string };
  let seq = 0;
  /** A fresh valid São Paulo mobile. */
  const phone = () => `551198${String(1000000 + ++seq).padStart(7, '0')}`;
  const body = (over: Record<string, unknown> = {}) => ({
    channelId: channel.id,
    contactIdentifier: phone(),
    name: 'João Silva',
    type: 'individual',
    channelType: 'whatsapp',
    ...over,
  });
  async function create(over: Record<string, unknown> = {}) {
    const res = await acc.post('/contacts', body(over));
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  beforeAll(async () => {
    t = await startTestApp('contacts');
    const admin = new ApiClient(t.baseUrl, t.adminKey);
    acc = await accountClient(admin, 'acc-co');
    other = await accountClient(admin, 'acc-co-other');
    channel = await createChannel(acc);
    otherChannel = await createChannel(other);
    vip = await createTag(acc, 'VIP');
    foreignTag = await createTag(other, 'Foreign');
  });
  afterAll(() => t.close());

  describe('2.1 create', () => {
    it('creates the guide’s contact', async () => {
      const res = await acc.post('/contacts', {
        clientIdentifier: 'acc-co',
        channelId: channel.id,
        contactIdentifier: '5521999999999',
        name: 'João Silva',
        type: 'individual',
        channelType: 'whatsapp',
        customName: 'João (Mercearia)',
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[a-f0-9]{24}$/),
        clientIdentifier: 'acc-co',
        channelId: channel.id,
        contactIdentifier: '5521999999999',
        name: 'João Silva',
        customName: 'João (Mercearia)',
        type: 'individual',
        channelType: 'whatsapp',
        tagIds: [],
        isIgnored: false,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    });

    it('stores every optional field', async () => {
      const res = await acc.post('/contacts', body({ photo: 'https://bucket.s3.amazonaws.com/p.jpg', tagIds: [vip.id], platform: 'karoochatnew', isIgnored: true }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ photo: 'https://bucket.s3.amazonaws.com/p.jpg', tagIds: [vip.id], platform: 'karoochatnew', isIgnored: true });
    });

    it('normalises phone numbers and treats the Brazilian ninth digit as the same person (409)', async () => {
      const res = await acc.post('/contacts', body({ contactIdentifier: '+55 (31) 98888-7777' }));
      expect(res.status).toBe(201);
      expect(res.body.contactIdentifier).toBe('5531988887777');
      for (const same of ['5531988887777', '553188887777', '31 98888-7777']) {
        const dup = await acc.post('/contacts', body({ contactIdentifier: same }));
        expect(dup.status).toBe(409);
        expect(dup.body.code).toBe('CONTACT_IDENTIFIER_TAKEN');
        expect(dup.body.details).toEqual({ contactIdentifier: '5531988887777', contactId: res.body.id });
      }
    });

    it('allows the same identifier on another channel and in another account', async () => {
      const second = await createChannel(acc);
      expect((await acc.post('/contacts', body({ channelId: second.id, contactIdentifier: '5521999999999' }))).status).toBe(201);
      expect((await other.post('/contacts', body({ channelId: otherChannel.id, contactIdentifier: '5521999999999' }))).status).toBe(201);
    });

    it('stores a group by its WhatsApp group id', async () => {
      const res = await acc.post('/contacts', body({ type: 'group', contactIdentifier: '120363012345678901', name: 'Equipe' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ type: 'group', contactIdentifier: '120363012345678901@g.us' });
      const dup = await acc.post('/contacts', body({ type: 'group', contactIdentifier: '120363012345678901@g.us' }));
      expect(dup.body.code).toBe('CONTACT_IDENTIFIER_TAKEN');
    });

    it.each([
      ['letters', 'abc'],
      ['too short', '12345'],
      ['an unknown country code', '+999 1234 5678'],
      ['too long', '55119876543210000'],
      ['a group id', '120363012345678901@g.us'],
    ])('answers 400 INVALID_PHONE_NUMBER for %s', async (_n, contactIdentifier) => {
      const res = await acc.post('/contacts', body({ contactIdentifier }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_PHONE_NUMBER');
    });

    it('answers 400 INVALID_GROUP_ID for a group identifier that is not a group id', async () => {
      const res = await acc.post('/contacts', body({ type: 'group', contactIdentifier: 'my-group' }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_GROUP_ID');
    });

    it.each([
      ['missing required fields', {}, ['channelId', 'channelType', 'contactIdentifier', 'type']],
      ['an unknown field', { nickname: 'x' }, ['nickname']],
      ['wrong types', { name: 1, isIgnored: 'yes', tagIds: 'abc', photo: 5 }, ['isIgnored', 'name', 'photo', 'tagIds']],
      ['a bad enum', { type: 'person', channelType: 'telegram' }, ['channelType', 'type']],
      ['a malformed channelId', { channelId: 'abc' }, ['channelId']],
      ['malformed tag ids', { tagIds: ['tag1', 'tag2'] }, ['tagIds']],
      ['a repeated tag id', { tagIds: ['68e54649a3744412be5cc107', '68e54649a3744412be5cc107'] }, ['tagIds']],
      ['a photo that is not an http URL', { photo: 'ftp://x.example.com/p.jpg' }, ['photo']],
      ['a bad platform slug', { platform: 'Karoo Chat' }, ['platform']],
    ])('answers 400 VALIDATION_FAILED for %s', async (_n, over, fields) => {
      const payload = Object.keys(over).length === 0 ? {} : body(over);
      const res = await acc.post('/contacts', payload);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(res.body)).toEqual(fields);
    });

    it('answers 404 CHANNEL_NOT_FOUND for a channel of another account or none', async () => {
      for (const channelId of [otherChannel.id, '64ef5c84f9deb1326965919e']) {
        const res = await acc.post('/contacts', body({ channelId }));
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('CHANNEL_NOT_FOUND');
      }
    });

    it('answers 404 TAG_NOT_FOUND listing tags that are unknown or of another account', async () => {
      const res = await acc.post('/contacts', body({ tagIds: [vip.id, foreignTag.id, '68e54649a3744412be5cc107'] }));
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('TAG_NOT_FOUND');
      expect(res.body.details).toEqual({ tagIds: [foreignTag.id, '68e54649a3744412be5cc107'] });
    });

    it('answers 400 UNKNOWN_PLATFORM for a platform the channel does not have', async () => {
      const res = await acc.post('/contacts', body({ platform: 'crm' }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('UNKNOWN_PLATFORM');
    });

    it('answers 403 ACCOUNT_MISMATCH when the body names another account', async () => {
      const res = await acc.post('/contacts', body({ clientIdentifier: 'acc-co-other' }));
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('ACCOUNT_MISMATCH');
    });
  });

  describe('2.2 update and 2.3 get', () => {
    it('edits the guide’s fields and reads them back', async () => {
      const c = await create({ customName: 'Antes' });
      const res = await acc.patch(`/contacts/${c.id}`, {
        clientIdentifier: 'acc-co',
        contactId: c.id,
        customName: 'Nome Modificado',
        platform: 'karoochatnew',
        tagIds: [vip.id],
        isIgnored: true,
        contactIdentifier: '+55 11 3333-4444',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ customName: 'Nome Modificado', platform: 'karoochatnew', tagIds: [vip.id], isIgnored: true, contactIdentifier: '551133334444', name: 'João Silva' });
      const read = await acc.get(`/contacts/${c.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(res.body);
    });

    it('answers 409 CONTACT_IDENTIFIER_TAKEN when the new identifier belongs to another contact', async () => {
      const a = await create();
      const b = await create();
      const res = await acc.patch(`/contacts/${b.id}`, { contactIdentifier: a.contactIdentifier.replace(/^(\d{4})9/, '$1') });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('CONTACT_IDENTIFIER_TAKEN');
      expect(res.body.details.contactId).toBe(a.id);
      expect((await acc.get(`/contacts/${b.id}`)).body.contactIdentifier).toBe(b.contactIdentifier);
      // Setting its own identifier again is no conflict.
      expect((await acc.patch(`/contacts/${b.id}`, { contactIdentifier: b.contactIdentifier })).status).toBe(200);
    });

    it.each([
      ['name (not editable in the guide)', { name: 'x' }, 'VALIDATION_FAILED'],
      ['type', { type: 'group' }, 'VALIDATION_FAILED'],
      ['wrong types', { isIgnored: 1 }, 'VALIDATION_FAILED'],
      ['a bad phone', { contactIdentifier: '12' }, 'INVALID_PHONE_NUMBER'],
      ['an unknown platform', { platform: 'crm' }, 'UNKNOWN_PLATFORM'],
      ['a contactId other than the path', { contactId: '68e54649a3744412be5cc107' }, 'ID_MISMATCH'],
    ])('answers 400 for %s', async (_n, patch, code) => {
      const c = await create();
      const res = await acc.patch(`/contacts/${c.id}`, patch);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(code);
    });

    it('answers 404 for a tag of another account, and for contacts of another account', async () => {
      const c = await create();
      const tag = await acc.patch(`/contacts/${c.id}`, { tagIds: [foreignTag.id] });
      expect(tag.status).toBe(404);
      expect(tag.body.code).toBe('TAG_NOT_FOUND');
      for (const res of [
        await other.get(`/contacts/${c.id}`),
        await other.patch(`/contacts/${c.id}`, { customName: 'hijack' }),
        await other.delete(`/contacts/${c.id}/platform`),
        await other.get(`/contacts/${c.id}/tags`),
        await other.post(`/contacts/${c.id}/tags`, { tagIds: [foreignTag.id] }),
        await other.delete(`/contacts/${c.id}/tags`, { tagIds: [foreignTag.id] }),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('CONTACT_NOT_FOUND');
        expect(JSON.stringify(res.body)).not.toContain(c.contactIdentifier);
      }
      expect((await acc.get(`/contacts/${c.id}`)).body.customName).toBeUndefined();
      expect((await acc.get('/contacts/123')).body.code).toBe('INVALID_ID');
    });
  });

  describe('2.4 list', () => {
    let listChannel: { id: string };
    let ids: string[];
    let blue: { id: string };
    let green: { id: string };

    beforeAll(async () => {
      listChannel = await createChannel(acc);
      blue = await createTag(acc, 'Blue');
      green = await createTag(acc, 'Green');
      const rows = [
        { name: 'Maria Souza', tagIds: [blue.id] },
        { name: 'joão pereira', tagIds: [blue.id, green.id] },
        { name: 'Pedro', customName: 'JOÃO da padaria', tagIds: [green.id] },
        { name: 'Ana', type: 'group', contactIdentifier: '120363000000000001@g.us', tagIds: [] },
        { name: 'Carlos', tagIds: [] },
      ];
      ids = [];
      for (const r of rows) ids.push((await create({ channelId: listChannel.id, ...r })).id);
    });

    const list = async (query: string) => {
      const res = await acc.get(`/contacts?channelId=${listChannel.id}${query ? `&${query}` : ''}`);
      expect(res.status).toBe(200);
      return res.body;
    };

    it('pages newest first with limit 30 by default and reports total and pages', async () => {
      const all = await acc.get('/contacts');
      expect(all.body).toMatchObject({ page: 1, limit: 30 });
      expect(all.body.total).toBeGreaterThanOrEqual(5);
      expect(all.body.totalPages).toBe(Math.ceil(all.body.total / 30));
      expect(all.body.data.every((c: { clientIdentifier: string }) => c.clientIdentifier === 'acc-co')).toBe(true);
      const mine = await list('');
      expect(mine.data.map((c: { id: string }) => c.id)).toEqual([...ids].reverse());
      const asc = await list('order=asc&limit=2&page=2');
      expect(asc).toMatchObject({ page: 2, limit: 2, total: 5, totalPages: 3 });
      expect(asc.data.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[3]]);
    });

    it('filters by type, channelType, name (any case, name or customName) and contactIdentifier', async () => {
      expect((await list('type=group')).data.map((c: { id: string }) => c.id)).toEqual([ids[3]]);
      expect((await list('channelType=whatsapp')).total).toBe(5);
      expect((await list(`name=${encodeURIComponent('JOÃO')}&order=asc`)).data.map((c: { id: string }) => c.id)).toEqual([ids[1], ids[2]]);
      expect((await list('name=a%2B')).total).toBe(0);
      const maria = (await acc.get(`/contacts/${ids[0]}`)).body;
      const byOldNumber = maria.contactIdentifier.replace(/^(\d{4})9/, '$1');
      expect((await list(`contactIdentifier=${byOldNumber}`)).data.map((c: { id: string }) => c.id)).toEqual([ids[0]]);
      expect((await list('contactIdentifier=120363000000000001')).data.map((c: { id: string }) => c.id)).toEqual([ids[3]]);
      expect((await list('contactIdentifier=nonsense')).total).toBe(0);
    });

    it('filters by tagIds, comma-separated or repeated, any or all', async () => {
      const ofIds = (b: { data: Array<{ id: string }> }) => b.data.map((c) => c.id).sort();
      expect(ofIds(await list(`tagIds=${blue.id}`))).toEqual([ids[0], ids[1]].sort());
      expect(ofIds(await list(`tagIds=${blue.id},${green.id}`))).toEqual([ids[0], ids[1], ids[2]].sort());
      expect(ofIds(await list(`tagIds=${blue.id}&tagIds=${green.id}`))).toEqual([ids[0], ids[1], ids[2]].sort());
      expect(ofIds(await list(`tagIds=${blue.id},${green.id}&tagMatch=all`))).toEqual([ids[1]]);
      expect((await list(`tagIds=${foreignTag.id}`)).total).toBe(0);
      expect(ofIds(await list(`tagIds=${green.id}&name=pedro`))).toEqual([ids[2]]);
    });

    it.each([
      ['limit over 100', 'limit=101', 'VALIDATION_FAILED'],
      ['limit 0', 'limit=0', 'VALIDATION_FAILED'],
      ['page not a number', 'page=two', 'VALIDATION_FAILED'],
      ['a bad order', 'order=up', 'VALIDATION_FAILED'],
      ['a bad type', 'type=person', 'VALIDATION_FAILED'],
      ['a bad tag id', 'tagIds=tag1', 'VALIDATION_FAILED'],
      ['an unknown filter', 'colour=red', 'VALIDATION_FAILED'],
      ['a page out of range', 'page=9&limit=30', 'PAGE_OUT_OF_RANGE'],
    ])('answers 400 for %s', async (_n, query, code) => {
      const res = await acc.get(`/contacts?channelId=${listChannel.id}&${query}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(code);
    });

    it('never shows another account’s contacts', async () => {
      const res = await other.get(`/contacts?channelId=${listChannel.id}`);
      expect(res.body).toEqual({ data: [], page: 1, limit: 30, total: 0, totalPages: 0 });
    });
  });

  describe('2.5 to 2.8 platform and tags of a contact', () => {
    it('removes the platform', async () => {
      const c = await create({ platform: 'karoochatnew' });
      const res = await acc.delete(`/contacts/${c.id}/platform`, { clientIdentifier: 'acc-co', contactId: c.id });
      expect(res.status).toBe(200);
      expect(res.body.platform).toBeUndefined();
      expect((await acc.get(`/contacts/${c.id}`)).body.platform).toBeUndefined();
      expect((await acc.delete(`/contacts/${c.id}/platform`)).status).toBe(200);
      expect((await acc.delete(`/contacts/${c.id}/platform`, { contactId: '68e54649a3744412be5cc107' })).body.code).toBe('ID_MISMATCH');
      expect((await acc.delete('/contacts/68e54649a3744412be5cc107/platform')).body.code).toBe('CONTACT_NOT_FOUND');
    });

    it('lists, adds and removes tags', async () => {
      const t1 = await createTag(acc, 'T1');
      const t2 = await createTag(acc, 'T2');
      const t3 = await createTag(acc, 'T3');
      const c = await create({ tagIds: [t1.id] });
      const added = await acc.post(`/contacts/${c.id}/tags`, { clientIdentifier: 'acc-co', contactId: c.id, tagIds: [t2.id, t3.id, t1.id] });
      expect(added.status).toBe(200);
      expect(added.body.tagIds).toEqual([t1.id, t2.id, t3.id]);
      const tags = await acc.get(`/contacts/${c.id}/tags`);
      expect(tags.status).toBe(200);
      expect(tags.body.map((x: { name: string }) => x.name)).toEqual(['T1', 'T2', 'T3']);
      expect(tags.body[0]).toMatchObject({ id: t1.id, color: '#ff0000', clientIdentifier: 'acc-co' });
      const removed = await acc.delete(`/contacts/${c.id}/tags`, { tagIds: [t1.id, t3.id] });
      expect(removed.status).toBe(200);
      expect(removed.body.tagIds).toEqual([t2.id]);
      const again = await acc.delete(`/contacts/${c.id}/tags`, { tagIds: [t1.id] });
      expect(again.body.tagIds).toEqual([t2.id]);
    });

    it('refuses bad tag lists, unknown tags and tags of another account', async () => {
      const c = await create();
      for (const payload of [{}, { tagIds: [] }, { tagIds: 'x' }, { tagIds: ['tag1'] }, { tagIds: [vip.id], extra: 1 }]) {
        const res = await acc.post(`/contacts/${c.id}/tags`, payload);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
      for (const res of [await acc.post(`/contacts/${c.id}/tags`, { tagIds: [foreignTag.id] }), await acc.delete(`/contacts/${c.id}/tags`, { tagIds: ['68e54649a3744412be5cc107'] })]) {
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('TAG_NOT_FOUND');
      }
      expect((await acc.get(`/contacts/${c.id}`)).body.tagIds).toEqual([]);
      expect((await acc.post(`/contacts/${c.id}/tags`, { tagIds: [vip.id], contactId: '68e54649a3744412be5cc107' })).body.code).toBe('ID_MISMATCH');
    });

    it('keeps every tag added concurrently to one contact', async () => {
      const c = await create();
      const tags = await Promise.all(['C1', 'C2', 'C3', 'C4', 'C5'].map((n) => createTag(acc, n)));
      const results = await Promise.all(tags.map((tag) => acc.post(`/contacts/${c.id}/tags`, { tagIds: [tag.id] })));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      expect((await acc.get(`/contacts/${c.id}`)).body.tagIds.sort()).toEqual(tags.map((x) => x.id).sort());
    });
  });

  describe('delete', () => {
    it('deletes a contact once: then it is gone, its tags stay in the account, a second delete is 404', async () => {
      const c = await create({ tagIds: [vip.id] });
      const res = await acc.delete(`/contacts/${c.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: c.id, deleted: true });
      expect((await acc.get(`/contacts/${c.id}`)).body.code).toBe('CONTACT_NOT_FOUND');
      expect((await acc.get(`/contacts/${c.id}/tags`)).status).toBe(404);
      expect((await acc.get(`/tags/${vip.id}`)).status).toBe(200);
      expect((await acc.get(`/tags/${vip.id}/contacts`)).body.data.map((x: { id: string }) => x.id)).not.toContain(c.id);
      const again = await acc.delete(`/contacts/${c.id}`);
      expect(again.status).toBe(404);
      expect(again.body.code).toBe('CONTACT_NOT_FOUND');
      // The identifier is free again in the channel.
      expect((await acc.post('/contacts', body({ contactIdentifier: c.contactIdentifier }))).status).toBe(201);
    });

    it("answers 404 CONTACT_NOT_FOUND for another account's contact and leaves it alone; 400 INVALID_ID for a malformed id", async () => {
      const theirs = await other.post('/contacts', { ...body(), channelId: otherChannel.id });
      expect(theirs.status).toBe(201);
      const res = await acc.delete(`/contacts/${theirs.body.id}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('CONTACT_NOT_FOUND');
      expect((await other.get(`/contacts/${theirs.body.id}`)).status).toBe(200);
      const bad = await acc.delete('/contacts/not-an-id');
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('INVALID_ID');
    });

    it('lets one of two simultaneous deletes win', async () => {
      const c = await create();
      const statuses = (await Promise.all([acc.delete(`/contacts/${c.id}`), acc.delete(`/contacts/${c.id}`)])).map((r) => r.status).sort();
      expect(statuses).toEqual([200, 404]);
    });
  });

  describe('channel lifecycle and the service contract', () => {
    it('unsets the platform of contacts when their platform endpoint is removed', async () => {
      const ch = await createChannel(acc, ['main', 'crm']);
      const c = await create({ channelId: ch.id, platform: 'crm' });
      expect((await acc.delete(`/channels/${ch.id}/platforms/crm`)).status).toBe(200);
      expect((await acc.get(`/contacts/${c.id}`)).body.platform).toBeUndefined();
    });

    it('deletes the contacts of a deleted channel, and only those', async () => {
      const ch = await createChannel(acc);
      const gone = await create({ channelId: ch.id });
      const kept = await create();
      expect((await acc.delete(`/channels/${ch.id}`)).status).toBe(200);
      expect((await acc.get(`/contacts/${gone.id}`)).status).toBe(404);
      expect((await acc.get(`/contacts/${kept.id}`)).status).toBe(200);
    });

    it('findOrCreate is idempotent under concurrency and normalises the identifier', async () => {
      const svc = t.app.get(ContactsService);
      const results = await Promise.all(
        ['552177776666@c.us', '5521977776666', '+55 21 97777-6666', '552177776666'].map((id) =>
          svc.findOrCreate('acc-co', channel.id, { contactIdentifier: id, type: 'individual', name: 'Inbound' }),
        ),
      );
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      expect(results[0]).toMatchObject({ contactIdentifier: '5521977776666', name: 'Inbound', type: 'individual', isIgnored: false });
      expect((await svc.findByIdentifier('acc-co', channel.id, '552177776666'))?.id).toBe(results[0].id);
      expect(await svc.findByIdentifier('acc-co-other', channel.id, '5521977776666')).toBeUndefined();
      await expect(svc.getById('acc-co-other', results[0].id)).rejects.toMatchObject({ code: 'CONTACT_NOT_FOUND' });
      const group = await svc.findOrCreate('acc-co', channel.id, { contactIdentifier: '120363099999999999@g.us', type: 'group' });
      expect(group.contactIdentifier).toBe('120363099999999999@g.us');
    });
  });
});
