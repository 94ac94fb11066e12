import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DomainEvent, DomainEventName, DomainEvents } from '../../src/common/events/domain-events';
import { InboundEventSink } from '../../src/whatsapp/engine/inbound-sink.port';
import type { InboundEngineEvent } from '../../src/whatsapp/engine/messaging-engine.port';
import { SessionRegistry } from '../../src/whatsapp/sessions/session-registry';
import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { chromiumUnder, eventually, setupChannel, waitForState } from './whatsapp-helpers';

jest.setTimeout(90_000);

const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const CONTACT = '5521988887777';
const MEMBER = '5521977776666';
const GROUP = '120363025555555555@g.us';

/**
 * The sandbox control API against the real whatsapp-web.js client in Chromium: acting as the
 * phone and the contacts, and what the session manager makes of it (events handed to the
 * InboundEventSink in order, state changes, browsers closed).
 */
describe('sandbox control API and the session lifecycle in process', () => {
  let t: TestApp;
  let acc: ApiClient;
  let channel: { id: string; clientNumber: string };
  const seen: InboundEngineEvent[] = [];
  const statuses: DomainEvent[] = [];

  beforeAll(async () => {
    t = await startTestApp('sandboxctl', { SESSION_LEASE_TTL_MS: '3000' });
    acc = await accountClient(new ApiClient(t.baseUrl, t.adminKey), 'acc-sbx');
    // Watch what the session manager hands to the app's sink (the real pipeline still runs).
    const sink = t.app.get(InboundEventSink, { strict: false });
    const handle = sink.handle.bind(sink);
    jest.spyOn(sink, 'handle').mockImplementation(async (ctx, event, session) => {
      if (ctx.channelId === channel?.id) seen.push(event);
      return handle(ctx, event, session);
    });
    t.app.get(DomainEvents).on(DomainEventName.SessionStatus, (e) => void statuses.push(e));
    channel = await setupChannel(acc);
  });

  afterAll(async () => {
    await t?.close();
    expect(chromiumUnder(t.config.storage.dataDir)).toEqual([]);
  });

  const sbx = (path: string) => `/sandbox/channels/${channel.id}${path}`;
  const find = (pred: (e: InboundEngineEvent) => boolean, what: string) =>
    eventually(async () => seen.find(pred), (e) => !!e, 10_000, what);

  it('refuses actions before the link with clear errors', async () => {
    const res = await acc.post(sbx('/inbound'), { from: CONTACT, text: 'hi' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('CHANNEL_NOT_READY');
    const bad = await acc.post(sbx('/inbound'), { from: 'not-a-number', text: 'hi' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('links as if the QR were scanned, publishing session.status for each state', async () => {
    const res = await acc.post(sbx('/link'), { pushname: 'Loja Centro' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'READY', me: `${channel.clientNumber}@c.us`, pushname: 'Loja Centro', linked: true });
    const again = await acc.post(sbx('/link'), {});
    expect(again.body).toMatchObject({ state: 'READY', alreadyLinked: true });
    const mine = statuses.filter((e) => e.channelId === channel.id).map((e) => e.payload);
    expect(mine.map((p) => p.state)).toEqual(['STARTING', 'QR', 'AUTHENTICATED', 'READY']);
    expect(mine[1]).toMatchObject({ previousState: 'STARTING', qr: true });
    expect(mine[3]).toMatchObject({ previousState: 'AUTHENTICATED', reason: 'CONNECTED', me: `${channel.clientNumber}@c.us` });
  });

  it('delivers inbound text, media, locations, contact cards and group messages to the sink', async () => {
    const text = await acc.post(sbx('/inbound'), { from: CONTACT, text: 'Olá!', senderName: 'João' });
    expect(text.status).toBe(201);
    expect(text.body.messageId).toMatch(new RegExp(`^false_${CONTACT}@c\\.us_`));
    const m = await find((e) => e.type === 'message' && e.message.id === text.body.messageId, 'text message');
    expect(m).toMatchObject({ message: { kind: 'text', body: 'Olá!', chatId: `${CONTACT}@c.us`, senderId: `${CONTACT}@c.us`, senderName: 'João', fromMe: false, isGroup: false } });

    const image = await acc.post(sbx('/inbound'), { from: CONTACT, media: { mimetype: 'image/png', dataBase64: PNG_BASE64, filename: 'p.png' }, caption: 'foto', quotedMessageId: text.body.messageId });
    const im = await find((e) => e.type === 'message' && e.message.id === image.body.messageId, 'image');
    expect(im).toMatchObject({ message: { kind: 'image', caption: 'foto', media: { mimetype: 'image/png' }, quotedMessageId: text.body.messageId } });
    const session = await t.app.get(SessionRegistry).requireReady('acc-sbx', channel.id);
    expect(await session.downloadMedia(image.body.messageId)).toMatchObject({ mimetype: 'image/png', dataBase64: PNG_BASE64 });

    const loc = await acc.post(sbx('/inbound'), { from: CONTACT, location: { latitude: -22.9, longitude: -43.17, name: 'Loja', address: 'Centro' } });
    expect(await find((e) => e.type === 'message' && e.message.id === loc.body.messageId, 'location')).toMatchObject({
      message: { kind: 'location', location: { latitude: -22.9, longitude: -43.17, name: 'Loja', address: 'Centro' } },
    });
    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nFN:Maria\nTEL;type=CELL;waid=5521955554444:+55 21 95555-4444\nEND:VCARD';
    const card = await acc.post(sbx('/inbound'), { from: CONTACT, vcards: [vcard] });
    expect(await find((e) => e.type === 'message' && e.message.id === card.body.messageId, 'vcard')).toMatchObject({ message: { kind: 'contacts', vcards: [vcard] } });

    expect((await acc.put(sbx('/groups'), { id: GROUP, subject: 'Clientes', participants: [CONTACT, MEMBER] })).status).toBe(204);
    const inGroup = await acc.post(sbx('/inbound'), { from: GROUP, author: MEMBER, text: 'no grupo' });
    expect(await find((e) => e.type === 'message' && e.message.id === inGroup.body.messageId, 'group message')).toMatchObject({
      message: { chatId: GROUP, senderId: `${MEMBER}@c.us`, isGroup: true, body: 'no grupo' },
    });
    const join = await acc.post(sbx(`/groups/${GROUP}/events`), { subtype: 'add', participants: ['5521966665555'], author: MEMBER });
    expect(join.status).toBe(201);
    expect(await find((e) => e.type === 'group_join', 'group_join')).toMatchObject({ groupId: GROUP, participants: ['5521966665555@c.us'], by: `${MEMBER}@c.us`, subtype: 'add' });
  });

  it('shows outbound messages in the outbox and moves their acks; contacts react, edit and revoke', async () => {
    const session = await t.app.get(SessionRegistry).requireReady('acc-sbx', channel.id);
    await acc.delete(sbx('/outbox'));
    const sent = await session.sendMessage(`${CONTACT}@c.us`, { kind: 'text', text: 'Abrimos às 9h' });
    const outbox = await acc.get(sbx('/outbox'));
    expect(outbox.status).toBe(200);
    expect(outbox.body).toEqual([expect.objectContaining({ kind: 'message', id: sent.id, type: 'chat', body: 'Abrimos às 9h', chatId: `${CONTACT}@c.us` })]);

    expect((await acc.post(sbx(`/messages/${encodeURIComponent(sent.id)}/ack`), { ack: 'read' })).status).toBe(204);
    expect(await find((e) => e.type === 'ack' && e.messageId === sent.id && e.ack === 'read', 'read ack')).toBeDefined();

    const react = await acc.post(sbx(`/messages/${encodeURIComponent(sent.id)}/react`), { emoji: '👍' });
    expect(react.status).toBe(201);
    expect(await find((e) => e.type === 'reaction' && e.messageId === sent.id, 'reaction')).toMatchObject({ emoji: '👍', senderId: `${CONTACT}@c.us` });

    const inbound = await acc.post(sbx('/inbound'), { from: CONTACT, text: 'abre sábado?' });
    expect((await acc.post(sbx(`/messages/${encodeURIComponent(inbound.body.messageId)}/edit`), { body: 'abre domingo?' })).status).toBe(204);
    expect(await find((e) => e.type === 'edit' && e.messageId === inbound.body.messageId, 'edit')).toMatchObject({ body: 'abre domingo?', previousBody: 'abre sábado?' });
    expect((await acc.post(sbx(`/messages/${encodeURIComponent(inbound.body.messageId)}/revoke`))).status).toBe(204);
    expect(await find((e) => e.type === 'revoke' && e.messageId === inbound.body.messageId, 'revoke')).toMatchObject({ fromMe: false });

    const unknown = await acc.post(sbx('/messages/false_1@c.us_NOPE/revoke'));
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('SANDBOX_ACTION_FAILED');
  });

  it('reconnects after a CONFLICT without a new scan', async () => {
    const res = await acc.post(sbx('/conflict'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'DISCONNECTED', reason: 'CONFLICT' });
    const back = await waitForState(acc, channel.id, 'READY', 20_000);
    expect(back).toMatchObject({ me: `${channel.clientNumber}@c.us`, linked: true });
  });

  it('turns a phone logout into LOGGED_OUT and closes the browser; a new start shows a QR', async () => {
    const res = await acc.post(sbx('/phone-logout'));
    expect(res.body).toMatchObject({ state: 'LOGGED_OUT', linked: false });
    await eventually(async () => chromiumUnder(t.config.storage.dataDir), (p) => p.length === 0, 15_000, 'browser closed');
    expect((await acc.post(`/channels/${channel.id}/session/start`)).status).toBe(200);
    await waitForState(acc, channel.id, 'QR');
  });

  it('stops and logs out leaving no Chromium process, and deletes the link on logout', async () => {
    await acc.post(sbx('/link'), {});
    expect(chromiumUnder(t.config.storage.dataDir).length).toBeGreaterThan(0);
    const stopped = await acc.post(`/channels/${channel.id}/session/stop`);
    expect(stopped.body).toMatchObject({ state: 'STOPPED', linked: true, autoStart: false });
    expect(chromiumUnder(t.config.storage.dataDir)).toEqual([]);

    const restarted = await acc.post(`/channels/${channel.id}/session/start`);
    expect(restarted.status).toBe(200);
    await waitForState(acc, channel.id, 'READY');
    const dir = join(t.config.storage.dataDir, 'sessions', channel.id);
    expect(existsSync(dir)).toBe(true);
    const out = await acc.post(`/channels/${channel.id}/session/logout`);
    expect(out.body).toMatchObject({ state: 'LOGGED_OUT', linked: false, reason: 'LOGGED_OUT_BY_REQUEST' });
    expect(chromiumUnder(t.config.storage.dataDir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });

  it('treats UNPAIRED (device removed on the phone) as logged out', async () => {
    await acc.post(sbx('/link'), {});
    const res = await acc.post(sbx('/disconnect'), { state: 'UNPAIRED' });
    expect(res.body.state).toBe('LOGGED_OUT');
    expect(res.body.reason).toContain('UNPAIRED');
    await eventually(async () => chromiumUnder(t.config.storage.dataDir), (p) => p.length === 0, 15_000, 'browser closed');
  });

  it('forgets the session when the channel is deleted', async () => {
    const other = await setupChannel(acc);
    await acc.post(`/sandbox/channels/${other.id}/link`, {});
    expect((await acc.delete(`/channels/${other.id}`)).status).toBe(200);
    await eventually(async () => chromiumUnder(join(t.config.storage.dataDir)), (p) => p.length === 0, 15_000, 'browser closed');
    expect(existsSync(join(t.config.storage.dataDir, 'sessions', other.id))).toBe(false);
  });
});

describe('sandbox control API outside sandbox mode', () => {
  it('does not exist', async () => {
    const t = await startTestApp('nosandbox', { WHATSAPP_ENGINE: 'wwebjs' });
    try {
      const acc = await accountClient(new ApiClient(t.baseUrl, t.adminKey), 'acc-nosbx');
      const channel = await setupChannel(acc);
      const res = await acc.post(`/sandbox/channels/${channel.id}/link`, {});
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('ROUTE_NOT_FOUND');
      expect((await acc.get(`/channels/${channel.id}/session`)).body.state).toBe('STOPPED');
    } finally {
      await t.close();
    }
  });
});
