import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { StoreMigrations } from '../../src/store/store-migrations';
import { WebhookOutboxMigration, LEGACY_OUTBOX_COLLECTION, SINGLE_COLLECTION_MIGRATION } from '../../src/webhooks/webhook-outbox.migration';
import { WebhookQueue } from '../../src/webhooks/webhook-queue';
import { WebhookWorker } from '../../src/webhooks/webhook-worker.service';
import { eventIdFor } from '../../src/webhooks/webhooks.constants';
import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp, uniqueDatabase } from '../harness/test-app';
import { waitFor, WebhookReceiver } from './receiver';

/**
 * Upgrade from the two-collection outbox: events a server of the old layout left open in
 * `webhook_outbox` are moved into `webhook_events` at boot, by two processes booting at once,
 * and delivered; an event the old code had half-moved (in both) keeps its finished copy.
 */
jest.setTimeout(90_000);

describe('moving the old webhook_outbox into webhook_events', () => {
  const receiver = new WebhookReceiver();
  const database = uniqueDatabase('whmigrate');
  const apps: TestApp[] = [];
  let channelId: string;
  const env = { __DATABASE: database, WEBHOOK_SWEEP_INTERVAL_MS: '1000', WEBHOOK_RETRY_DELAYS_MS: '0,300,600' };

  beforeAll(() => receiver.start());
  afterAll(async () => {
    for (const a of apps) await a.close();
    await receiver.stop();
  });

  /** A row as the old code stored it (the same shape in both old collections). */
  const oldRow = (name: string, over: Record<string, unknown> = {}) => {
    const eventId = eventIdFor(`${channelId}:message.received:legacy-${name}:crm`);
    const at = new Date(Date.now() - 60_000);
    return {
      _id: eventId,
      key: `${channelId}:message.received:legacy-${name}:crm`,
      clientIdentifier: 'acc-mig',
      channelId,
      platform: 'crm',
      type: 'message.received',
      chatId: '5521999990000@c.us',
      seq: 1,
      body: JSON.stringify({ version: 1, id: eventId, type: 'message.received', data: { legacy: name } }),
      state: 'pending',
      attempts: [],
      attemptCount: 0,
      failures: 0,
      replays: 0,
      nextAttemptAt: at,
      createdAt: at,
      updatedAt: at,
      ...over,
    };
  };

  it('moves open events once at boot, with processes booting together, and delivers them', async () => {
    const old = await startTestApp('whmigrate', env);
    apps.push(old);
    const admin = new ApiClient(old.baseUrl, old.adminKey);
    const acc = await accountClient(admin, 'acc-mig');
    const res = await acc.post('/channels/setup/whatsappweb', {
      provider: { clientNumber: '5521987650009', companyId: 'c1' },
      startingPlatform: 'crm',
      platforms: [{ slug: 'crm', callbackUrl: `${receiver.url}/hook` }],
    });
    expect(res.status).toBe(201);
    channelId = res.body.id;

    const failedAt = new Date(Date.now() - 30_000);
    const withJob = oldRow('with-job');
    const noJob = oldRow('no-job');
    const failed = oldRow('failed', {
      state: 'failed',
      attempts: [{ at: failedAt, attempt: 1, status: 500, latencyMs: 3, error: 'HTTP 500', outcome: 'retry' }],
      attemptCount: 1,
      failures: 1,
      firstAttemptAt: failedAt,
      lastStatus: 500,
      lastError: 'HTTP 500',
      nextAttemptAt: failedAt,
    });
    // The old code wrote a finished event into the log, then deleted its outbox row: a crash in
    // between left both. The log's copy is the newer one.
    const halfMoved = oldRow('half-moved');
    const halfMovedDone = { ...halfMoved, state: 'delivered', attemptCount: 1, attempts: [{ at: failedAt, attempt: 1, status: 200, latencyMs: 2, outcome: 'delivered' }], deliveredAt: failedAt };
    delete (halfMovedDone as { nextAttemptAt?: Date }).nextAttemptAt;

    const connection = old.app.get<Connection>(getConnectionToken());
    await connection.collection(LEGACY_OUTBOX_COLLECTION).insertMany([withJob, noJob, failed, halfMoved] as never[]);
    await connection.collection('webhook_events').insertOne(halfMovedDone as never);
    // The job of an open event is still in Redis across the upgrade: stop this process's worker
    // so the job waits for the new processes.
    await old.app.get(WebhookWorker).drain();
    await old.app.get(WebhookQueue).add({ eventId: withJob._id, clientIdentifier: 'acc-mig', channelId, platform: 'crm' });
    const migrations = old.app.get(StoreMigrations);
    expect(await migrations.isDone(SINGLE_COLLECTION_MIGRATION)).toBe(true); // ran at its boot, on nothing
    await migrations.forget(SINGLE_COLLECTION_MIGRATION);
    await old.close();
    apps.splice(apps.indexOf(old), 1);

    const [a, b] = await Promise.all([startTestApp('whmigrate', env), startTestApp('whmigrate', env)]);
    apps.push(a, b);
    const conn = a.app.get<Connection>(getConnectionToken());
    expect(await conn.collection(LEGACY_OUTBOX_COLLECTION).countDocuments({})).toBe(0);
    expect(await a.app.get(StoreMigrations).isDone(SINGLE_COLLECTION_MIGRATION)).toBe(true);

    const api = await accountClient(new ApiClient(a.baseUrl, a.adminKey), 'acc-mig');
    const settled = (id: string) =>
      waitFor(`${id} delivered`, async () => {
        const e = (await api.get(`/webhooks/events/${id}`)).body;
        return e.state === 'delivered' ? e : undefined;
      });
    await settled(withJob._id);
    await settled(noJob._id); // no job: the sweeper finds it in webhook_events
    const retried = await settled(failed._id);
    expect(retried.attempts.map((x: { attempt: number }) => x.attempt)).toEqual([1, 2]);
    expect(retried.attemptCount).toBe(2);
    expect((await conn.collection('webhook_events').findOne({ _id: failed._id as never }))?.firstAttemptAt).toEqual(failedAt);

    const ids = receiver.distinctIds();
    for (const id of [withJob._id, noJob._id, failed._id]) expect(ids.has(id)).toBe(true);
    expect(ids.has(halfMoved._id)).toBe(false);
    expect((await api.get(`/webhooks/events/${halfMoved._id}`)).body).toMatchObject({ state: 'delivered', attemptCount: 1 });
    const log = await api.get(`/webhooks/events?channelId=${channelId}&limit=10`);
    expect(log.body.total).toBe(4);
  });

  it('is idempotent when two processes move the same rows at once', async () => {
    const [a, b] = apps;
    const conn = a.app.get<Connection>(getConnectionToken());
    const rows = ['x1', 'x2', 'x3'].map((n) => oldRow(n, { nextAttemptAt: new Date(Date.now() + 3_600_000) }));
    await conn.collection(LEGACY_OUTBOX_COLLECTION).insertMany(rows as never[]);
    const moved = await Promise.all([a.app.get(WebhookOutboxMigration).moveLegacyOutbox(), b.app.get(WebhookOutboxMigration).moveLegacyOutbox()]);
    expect(moved[0] + moved[1]).toBe(3);
    expect(await conn.collection(LEGACY_OUTBOX_COLLECTION).countDocuments({})).toBe(0);
    expect(await conn.collection('webhook_events').countDocuments({ clientIdentifier: 'acc-mig', state: 'pending' })).toBe(3);
    expect(await a.app.get(WebhookOutboxMigration).moveLegacyOutbox()).toBe(0);
  });
});
