import { accountClient, ApiClient } from '../harness/http';
import { Messaging, startMessaging } from '../messages/messaging-harness';
import { setupChannel } from './whatsapp-helpers';

jest.setTimeout(90_000);

const VIP = '120363041111111111@g.us';
const STAFF = '120363042222222222@g.us';
const OLD = '5521977770000-1612345678@g.us';
const ANA = '5521977771111';
const BIA = '5521977772222';

/** GET /channels/:channelId/groups: the number's groups, read live from the real client in the sandbox. */
describe('channel groups (GET /channels/:channelId/groups)', () => {
  let m: Messaging;
  let other: ApiClient;
  let meDigits: string;
  const groups = (channelId = m.channel.id, acc = m.acc) => acc.get(`/channels/${channelId}/groups`);

  beforeAll(async () => {
    m = await startMessaging('chgroups', 'acc-ch-groups');
    other = await accountClient(new ApiClient(m.t.baseUrl, m.t.adminKey), 'acc-ch-groups-other');
    meDigits = m.me.replace('@c.us', '');
  });
  afterAll(() => m?.close());

  it('lists no groups before the phone has any', async () => {
    const res = await groups();
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });

  it('lists each group with its id, subject, member count and whether the number is an admin', async () => {
    const declare = async (body: Record<string, unknown>) => expect((await m.acc.put(m.sbx('/groups'), body)).status).toBe(204);
    await declare({ id: VIP, subject: 'Clientes VIP', participants: [ANA, BIA], admins: [meDigits] });
    await declare({ id: STAFF, subject: 'Equipe', participants: [ANA], admins: [ANA] });
    await declare({ id: OLD, subject: 'antigo', participants: [ANA, BIA] });

    const res = await groups();
    expect(res.status).toBe(200);
    // Sorted by subject (accent- and case-insensitive); the number itself counts as a member.
    expect(res.body).toEqual([
      { id: OLD, subject: 'antigo', participantsCount: 3, isMember: true, isAdmin: false },
      { id: VIP, subject: 'Clientes VIP', participantsCount: 3, isMember: true, isAdmin: true },
      { id: STAFF, subject: 'Equipe', participantsCount: 2, isMember: true, isAdmin: false },
    ]);
  });

  it('follows the live group: a promotion, and the number leaving', async () => {
    expect((await m.acc.post(m.sbx(`/groups/${STAFF}/events`), { subtype: 'promote', participants: [meDigits], author: ANA })).status).toBe(201);
    expect((await m.acc.post(m.sbx(`/groups/${OLD}/events`), { subtype: 'remove', participants: [meDigits], author: ANA })).status).toBe(201);
    const res = await groups();
    expect(res.body.find((g: any) => g.id === STAFF)).toMatchObject({ isMember: true, isAdmin: true, participantsCount: 2 });
    expect(res.body.find((g: any) => g.id === OLD)).toEqual({ id: OLD, subject: 'antigo', participantsCount: 2, isMember: false, isAdmin: false });
  });

  it('gives the id group sends take as recipientNumber', async () => {
    const vip = (await groups()).body.find((g: any) => g.subject === 'Clientes VIP');
    const sent = await m.acc.post('/messages/group', { channelId: m.channel.id, recipientNumber: vip.id, platform: 'karoochat', text: 'Olá, grupo' });
    expect(sent.status).toBe(202);
    const out = await m.outboxMessage((await m.waitSent(sent.body.id)).waMessageId);
    expect(out).toMatchObject({ chatId: VIP, body: 'Olá, grupo' });
  });

  it("answers 404 CHANNEL_NOT_FOUND for another account's channel, and for an unknown one", async () => {
    const foreign = await groups(m.channel.id, other);
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ code: 'CHANNEL_NOT_FOUND' });
    const unknown = await groups('0123456789abcdef01234567');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'CHANNEL_NOT_FOUND' });
  });

  it('answers 422 CHANNEL_NOT_READY for a channel whose session is not READY', async () => {
    const idle = await setupChannel(m.acc);
    const res = await groups(idle.id);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'CHANNEL_NOT_READY', details: { state: 'STOPPED' } });
  });

  it('answers 400 INVALID_ID for a malformed channel id, and 401 without a key', async () => {
    const res = await groups('not-an-id');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'INVALID_ID' });
    const anonymous = await new ApiClient(m.t.baseUrl).get(`/channels/${m.channel.id}/groups`);
    expect(anonymous.status).toBe(401);
  });
});
