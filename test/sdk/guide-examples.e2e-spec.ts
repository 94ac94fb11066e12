import {
  ContactApi,
  OmnichannelError,
  OmnichannelModule,
  resetConfiguration,
  SetupApi,
  TagApi,
} from '@cirrus/omnichannel_api';
import { Test } from '@nestjs/testing';
import { accountClient, ApiClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { ContactExamples } from './guide-examples/contact.examples';
import { SetupExamples } from './guide-examples/setup.examples';
import { TagExamples } from './guide-examples/tag.examples';

// The project's testTimeout is not applied per project: booting the app (and building) needs more than 5 s under load.
jest.setTimeout(60_000);

/** The account every guide example names. */
const ACCOUNT = '9a92ea44-244c-4cda-86be-6a9e32ba8f34';
const OBJECT_ID = /^[0-9a-f]{24}$/;

interface Examples {
  setup: SetupExamples;
  contacts: ContactExamples;
  tags: TagExamples;
  /** SDK objects the test itself uses to prepare what an example needs (not part of the guide). */
  setupApi: SetupApi;
  tagApi: TagApi;
  contactApi: ContactApi;
}

type Wiring = (baseUrl: string, apiKey: string) => Promise<{ examples: Examples; close(): Promise<void> }>;

/** NestJS, as the guide shows it: constructor injection from OmnichannelModule.forRoot(). */
const nestWiring: Wiring = async (baseUrl, apiKey) => {
  const moduleRef = await Test.createTestingModule({
    imports: [OmnichannelModule.forRoot({ baseUrl, apiKey })],
    providers: [SetupExamples, ContactExamples, TagExamples],
  }).compile();
  const examples = {
    setup: moduleRef.get(SetupExamples),
    contacts: moduleRef.get(ContactExamples),
    tags: moduleRef.get(TagExamples),
    setupApi: moduleRef.get(SetupApi),
    tagApi: moduleRef.get(TagApi),
    contactApi: moduleRef.get(ContactApi),
  };
  return { examples, close: () => moduleRef.close() };
};

/** Plain TypeScript: X.getInstance(), configured from OMNICHANNEL_API_URL / OMNICHANNEL_API_KEY. */
const getInstanceWiring: Wiring = async (baseUrl, apiKey) => {
  resetConfiguration();
  process.env.OMNICHANNEL_API_URL = baseUrl;
  process.env.OMNICHANNEL_API_KEY = apiKey;
  const examples = {
    setup: new SetupExamples(SetupApi.getInstance()),
    contacts: new ContactExamples(ContactApi.getInstance()),
    tags: new TagExamples(TagApi.getInstance()),
    setupApi: SetupApi.getInstance(),
    tagApi: TagApi.getInstance(),
    contactApi: ContactApi.getInstance(),
  };
  return {
    examples,
    close: async () => {
      delete process.env.OMNICHANNEL_API_URL;
      delete process.env.OMNICHANNEL_API_KEY;
    },
  };
};

describe.each([
  ['OmnichannelModule.forRoot() and constructor injection', nestWiring],
  ['X.getInstance() configured from the environment', getInstanceWiring],
])('guide examples (sections 1.1, 2, 3) through %s', (_name, wiring) => {
  let t: TestApp;
  let ex: Examples;
  let close: () => Promise<void>;
  let channelId: string;
  let contactId: string;
  let vipTagId: string;
  let otherTagIds: string[];

  beforeAll(async () => {
    t = await startTestApp('sdkguide', { WHATSAPP_ENGINE: 'sandbox' });
    const account = await accountClient(new ApiClient(t.baseUrl, t.adminKey), ACCOUNT);
    ({ examples: ex, close } = await wiring(t.baseUrl, account.key!));
  });
  afterAll(async () => {
    await close?.();
    await t?.close();
  });

  it('1.1 sets up a WhatsApp Web channel', async () => {
    const platformConfig = await ex.setup.setupWhatsappWeb();
    expect(platformConfig).toMatchObject({
      clientIdentifier: ACCOUNT,
      service: 'whatsappweb',
      provider: { clientNumber: '5521999999999', companyId: 'my_company_id' },
      startingPlatform: 'karoochat',
      description: 'Canal WhatsApp Web para atendimento',
      platforms: [{ slug: 'karoochat', callbackUrl: 'https://myapp.com/webhook', enabled: true, secret: expect.stringMatching(/^whsec_/) }],
    });
    expect(platformConfig.channelId).toMatch(OBJECT_ID);
    expect(platformConfig.id).toBe(platformConfig.channelId);
    expect(platformConfig.platformConfigId).toMatch(OBJECT_ID);
    channelId = platformConfig.channelId;
    const read = await ex.setupApi.getPlatformConfig({ platformConfigId: platformConfig.platformConfigId });
    expect(read.id).toBe(channelId);
    // Example 2.2 gives the contact the platform 'karoochatnew': the channel must have it.
    const added = await ex.setupApi.addPlatform({ channelId, slug: 'karoochatnew', callbackUrl: 'https://myapp.com/webhook/new' });
    expect(added.secret).toMatch(/^whsec_/);
  });

  it('3.1 creates a tag', async () => {
    const tag = await ex.tags.create();
    expect(tag).toMatchObject({ clientIdentifier: ACCOUNT, name: 'Cliente VIP', color: '#ff0000' });
    vipTagId = tag.id;
    otherTagIds = [(await ex.tagApi.create({ name: 'Atacado', color: '#0000ff' })).id, (await ex.tagApi.create({ name: 'Varejo', color: '#00f' })).id];
  });

  it('2.1 creates a contact', async () => {
    const contact = await ex.contacts.create(channelId);
    expect(contact).toMatchObject({
      clientIdentifier: ACCOUNT,
      channelId,
      contactIdentifier: '5521999999999',
      name: 'João Silva',
      customName: 'João (Mercearia)',
      type: 'individual',
      channelType: 'whatsapp',
      tagIds: [],
      isIgnored: false,
    });
    contactId = contact.id;
  });

  it('2.2 edits the contact', async () => {
    const contact = await ex.contacts.update(contactId);
    expect(contact).toMatchObject({ id: contactId, customName: 'Nome Modificado', platform: 'karoochatnew', name: 'João Silva' });
  });

  it('2.3 reads the contact by id', async () => {
    const contact = await ex.contacts.getById(contactId);
    expect(contact).toMatchObject({ id: contactId, customName: 'Nome Modificado', platform: 'karoochatnew' });
  });

  it('2.4 lists contacts, paginated and filtered', async () => {
    await ex.contactApi.create({ channelId, contactIdentifier: '5511988887777', name: 'Maria', type: 'individual', channelType: 'whatsapp' });
    const response = await ex.contacts.list();
    expect(response).toEqual({ data: [expect.objectContaining({ id: contactId, name: 'João Silva' })], page: 1, limit: 10, total: 1, totalPages: 1 });
  });

  it('2.7 adds tags to the contact', async () => {
    const updatedContact = await ex.contacts.addTags(contactId, [vipTagId, ...otherTagIds]);
    expect([...updatedContact.tagIds].sort()).toEqual([vipTagId, ...otherTagIds].sort());
  });

  it("2.6 lists the contact's tags", async () => {
    const tags = await ex.contacts.tags(contactId);
    expect(tags.map((tag) => tag.name).sort()).toEqual(['Atacado', 'Cliente VIP', 'Varejo']);
  });

  it('3.6 lists the contacts of a tag', async () => {
    const contacts = await ex.tags.contactsByTag(vipTagId);
    expect(contacts).toMatchObject({ data: [{ id: contactId }], total: 1 });
  });

  it('2.8 removes tags from the contact', async () => {
    const updatedContact = await ex.contacts.removeTags(contactId, [vipTagId, otherTagIds[0]]);
    expect(updatedContact.tagIds).toEqual([otherTagIds[1]]);
  });

  it("2.5 removes the contact's platform", async () => {
    const contact = await ex.contacts.deletePlatform(contactId);
    expect(contact.id).toBe(contactId);
    expect(contact.platform).toBeUndefined();
    expect((await ex.contacts.getById(contactId)).platform).toBeUndefined();
  });

  it('3.2 lists tags by part of the name', async () => {
    const tags = await ex.tags.list();
    expect(tags).toEqual([expect.objectContaining({ id: vipTagId, name: 'Cliente VIP' })]);
  });

  it('3.3 reads a tag by id', async () => {
    expect(await ex.tags.getById(vipTagId)).toMatchObject({ id: vipTagId, name: 'Cliente VIP', color: '#ff0000' });
  });

  it('3.4 updates a tag', async () => {
    expect(await ex.tags.update(vipTagId)).toMatchObject({ id: vipTagId, name: 'Cliente Premium', color: '#00ff00' });
  });

  it('3.5 deletes a tag; reading it then fails with the typed error', async () => {
    expect(await ex.tags.delete(vipTagId)).toEqual({ id: vipTagId, deleted: true });
    const error = await ex.tags.getById(vipTagId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OmnichannelError);
    expect(error).toMatchObject({ code: 'TAG_NOT_FOUND', status: 404, requestId: expect.any(String) });
  });
});
