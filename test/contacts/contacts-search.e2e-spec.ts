import { getModelToken } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { NAME_TOKENS_MIGRATION, ContactNameTokensBackfill } from '../../src/contacts/contact-name-tokens.backfill';
import { Contact } from '../../src/contacts/schemas/contact.schema';
import { StoreMigrations } from '../../src/store/store-migrations';
import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { createChannel, createTag } from './fixtures';

/** Name search by tokens, tag filters by equality and the token backfill, on the real store. */
describe('contact search (name tokens, tag equality, backfill)', () => {
  let t: TestApp;
  let acc: ApiClient;
  let channel: { id: string };
  let seq = 0;
  const phone = () => `551197${String(2000000 + ++seq).padStart(7, '0')}`;
  async function create(over: Record<string, unknown>): Promise<{ id: string }> {
    const res = await acc.post('/contacts', { channelId: channel.id, contactIdentifier: phone(), type: 'individual', channelType: 'whatsapp', ...over });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
  const ids = async (query: string): Promise<string[]> => {
    const res = await acc.get(`/contacts?channelId=${channel.id}&order=asc&${query}`);
    expect(res.status).toBe(200);
    return res.body.data.map((c: { id: string }) => c.id);
  };

  beforeAll(async () => {
    t = await startTestApp('contactsearch');
    acc = await accountClient(new ApiClient(t.baseUrl, t.adminKey), 'acc-search');
    channel = await createChannel(acc);
  });
  afterAll(() => t.close());

  it('finds by word beginnings of name or customName, any case or accent, every word required', async () => {
    const joao = await create({ name: 'João Silva' });
    const jose = await create({ name: 'José Silveira', customName: 'Zé da Ótica' });
    const maria = await create({ name: 'Maria' });
    expect(await ids('name=joao')).toEqual([joao.id]);
    expect(await ids(`name=${encodeURIComponent('SÍL')}`)).toEqual([joao.id, jose.id]);
    expect(await ids(`name=${encodeURIComponent('sil jo')}`)).toEqual([joao.id, jose.id]);
    expect(await ids(`name=${encodeURIComponent('silv jos')}`)).toEqual([jose.id]);
    expect(await ids('name=otica')).toEqual([jose.id]);
    expect(await ids('name=ilva')).toEqual([]);
    expect(await ids('name=mar')).toEqual([maria.id]);
  });

  it('follows a change of customName', async () => {
    const c = await create({ name: 'Carla', customName: 'Padaria' });
    expect(await ids('name=padaria')).toContain(c.id);
    expect((await acc.patch(`/contacts/${c.id}`, { customName: 'Açougue Central' })).status).toBe(200);
    expect(await ids('name=padaria')).not.toContain(c.id);
    expect(await ids('name=acoug')).toEqual([c.id]);
    expect(await ids('name=carla')).toEqual([c.id]);
  });

  it('filters several tags (any) as a union of equality queries: pages, order and total as one query would', async () => {
    const [a, b, c] = [await createTag(acc, 'Sa'), await createTag(acc, 'Sb'), await createTag(acc, 'Sc')];
    const tagged: string[] = [];
    for (const tagIds of [[a.id], [b.id], [a.id, b.id], [c.id], [b.id, c.id], [a.id]]) tagged.push((await create({ name: 'Tagged', tagIds })).id);
    const anyAB = [tagged[0], tagged[1], tagged[2], tagged[4], tagged[5]];
    expect(await ids(`tagIds=${a.id},${b.id}`)).toEqual(anyAB);
    const page2 = await acc.get(`/contacts?channelId=${channel.id}&tagIds=${a.id},${b.id}&limit=2&page=2`);
    expect(page2.body).toMatchObject({ page: 2, limit: 2, total: 5, totalPages: 3 });
    // Newest first by default.
    expect(page2.body.data.map((x: { id: string }) => x.id)).toEqual([anyAB[2], anyAB[1]]);
    expect(await ids(`tagIds=${a.id},${b.id}&tagMatch=all`)).toEqual([tagged[2]]);
    expect(await ids(`tagIds=${b.id},${c.id}&tagMatch=all&name=tag`)).toEqual([tagged[4]]);
    expect((await acc.get(`/contacts?tagIds=${a.id},${b.id},${c.id}`)).body.total).toBe(6);
  });

  it('answers 409 naming the holder when an update takes another contact’s identifier', async () => {
    const holder = await create({ name: 'Holder' });
    const mover = await create({ name: 'Mover' });
    const holderIdentifier = (await acc.get(`/contacts/${holder.id}`)).body.contactIdentifier;
    const res = await acc.patch(`/contacts/${mover.id}`, { contactIdentifier: holderIdentifier });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'CONTACT_IDENTIFIER_TAKEN', details: { contactIdentifier: holderIdentifier, contactId: holder.id } });
    expect((await acc.get(`/contacts/${mover.id}`)).body.contactIdentifier).not.toBe(holderIdentifier);
  });

  it('backfills the tokens of contacts stored before them, once', async () => {
    const model = t.app.get<Model<Contact>>(getModelToken(Contact.name));
    const now = new Date();
    const legacy = { clientIdentifier: 'acc-search', channelId: channel.id, type: 'individual', channelType: 'whatsapp', tagIds: [], isIgnored: false, createdAt: now, updatedAt: now };
    const inserted = await model.collection.insertMany([
      { ...legacy, contactIdentifier: phone(), name: 'Legado Antônio' },
      { ...legacy, contactIdentifier: phone(), name: 'Outro', customName: 'Ñandú Loja' },
      { ...legacy, contactIdentifier: phone() },
    ]);
    const [antonio, nandu] = Object.values(inserted.insertedIds).map(String);
    expect(await ids('name=antonio')).toEqual([]);

    const migrations = t.app.get(StoreMigrations);
    const backfill = t.app.get(ContactNameTokensBackfill);
    expect(await migrations.isDone(NAME_TOKENS_MIGRATION)).toBe(true); // ran at boot, on an empty database
    expect(await migrations.runOnce(NAME_TOKENS_MIGRATION, () => backfill.backfill())).toBe(0); // done: skipped
    await migrations.forget(NAME_TOKENS_MIGRATION);
    expect(await migrations.runOnce(NAME_TOKENS_MIGRATION, () => backfill.backfill())).toBe(3);

    expect(await ids('name=antonio')).toEqual([antonio]);
    expect(await ids('name=nandu')).toEqual([nandu]);
    expect(await model.countDocuments({ clientIdentifier: 'acc-search', nameTokens: { $exists: false } })).toBe(0);
    expect(await backfill.backfill()).toBe(0);
  });
});
