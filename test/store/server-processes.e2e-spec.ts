import { ApiClient, accountClient } from '../harness/http';
import { testEnv, uniqueDatabase, TEST_ADMIN_KEY } from '../harness/test-app';
import { createChannel, createTag } from '../contacts/fixtures';
import { ensureBuilt, ServerProcess, spawnServer } from '../whatsapp/whatsapp-helpers';

jest.setTimeout(300_000);

const PER_SERVER = 50;

/**
 * Two server processes (the built server, each with its own connections) on one store and one
 * Redis: concurrent writes of the same contact and channel through both lose nothing. Tags are
 * added with $addToSet and channels change by versioned (guarded) updates: on the embedded store
 * both are read-then-write, so this holds only because the adapter's lock holds across processes.
 */
describe('two server processes writing the same documents', () => {
  const servers: ServerProcess[] = [];
  let clients: ApiClient[];

  beforeAll(async () => {
    const mainJs = ensureBuilt();
    const env = testEnv(uniqueDatabase('storeproc'), { LOG_LEVEL: 'warn' });
    for (let i = 0; i < 2; i++) servers.push(await spawnServer(mainJs, env));
    const first = await accountClient(new ApiClient(servers[0].baseUrl, TEST_ADMIN_KEY), 'acc-storeproc');
    clients = servers.map((s) => new ApiClient(s.baseUrl, first.key));
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
  });

  it(`keeps all ${2 * PER_SERVER} tags added to one contact at once through both servers`, async () => {
    const channel = await createChannel(clients[0]);
    const tags: string[] = [];
    for (let i = 0; i < 2 * PER_SERVER; i++) tags.push((await createTag(clients[0], `P${i}`)).id);
    const contact = await clients[0].post('/contacts', { channelId: channel.id, contactIdentifier: '5511987650001', type: 'individual', channelType: 'whatsapp', name: 'Shared' });
    expect(contact.status).toBe(201);
    const answers = await Promise.all(tags.map((tagId, i) => clients[i % 2].post(`/contacts/${contact.body.id}/tags`, { tagIds: [tagId] })));
    expect(answers.map((a) => a.status)).toEqual(tags.map(() => 200));
    for (const client of clients) {
      const stored = await client.get(`/contacts/${contact.body.id}`);
      expect([...stored.body.tagIds].sort()).toEqual([...tags].sort());
    }
  });

  it('keeps every platform endpoint added to one channel at once through both servers', async () => {
    const channel = await createChannel(clients[0]);
    const slugs = Array.from({ length: 20 }, (_, i) => `p${i}`);
    const answers = await Promise.all(slugs.map((slug, i) => clients[i % 2].post(`/channels/${channel.id}/platforms`, { slug, callbackUrl: `https://${slug}.example.com/hook` })));
    // A writer that lost the version race five times answers 409 CONCURRENT_UPDATE; none is lost silently.
    const added = slugs.filter((_, i) => answers[i].status === 201);
    expect(answers.every((a) => a.status === 201 || a.body.code === 'CONCURRENT_UPDATE')).toBe(true);
    expect(added.length).toBeGreaterThan(0);
    const stored = await clients[1].get(`/channels/${channel.id}`);
    const slugsStored = stored.body.platforms.map((p: { slug: string }) => p.slug);
    expect(slugsStored.filter((s: string) => s.startsWith('p')).sort()).toEqual(added.sort());
  });
});
