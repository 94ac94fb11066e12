import { Type } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import { type Connection, mongo } from 'mongoose';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, escapeIdentifier } from 'pg';
import { ChannelsRepository } from '../../src/channels/channels.repository';
import { ContactsRepository } from '../../src/contacts/contacts.repository';
import { openKeyOf } from '../../src/conversations/conversation.types';
import { ConversationsRepository } from '../../src/conversations/conversations.repository';
import { startFerretDb } from '../../src/database/embedded/ferretdb';
import { FERRETDB_PG_DATABASE, ferretDbPostgresUrl, startPostgres } from '../../src/database/embedded/postgres';
import type { ManagedProcess } from '../../src/database/embedded/process-utils';
import { freePort, withDatabase } from '../harness/services';
import { AUTO_EXPLAIN_LOG_DIR, autoExplainSettings, describePlan, LoggedPlan, PlanLog, planNodes, relationsOf } from '../harness/sql-plans';
import { startTestApp, TestApp, uniqueDatabase } from '../harness/test-app';

const { ObjectId } = mongo;

/** Rows per collection: enough that PostgreSQL reads a table whole only when no index fits the filter. */
const ROWS = 20_000;
/** A table at least this large must never be read by a Seq Scan on a hot path. */
const LARGE = 10_000;
const ACCOUNTS = 50;
const BATCH = 2_000;

/** The seeded row every hot query asks for (the middle one, so neither end of a table is favoured). */
const AT = ROWS / 2;
const account = (i: number) => `explain-acct-${i % ACCOUNTS}`;
/** A distinct ObjectId per collection and row: `prefix` then the row number in hex. */
const objectId = (prefix: string, i: number) => new ObjectId(`${prefix}${i.toString(16).padStart(23, '0')}`);
const ids = {
  contact: (i: number) => objectId('c', i),
  channel: (i: number) => objectId('a', i),
  conversation: (i: number) => objectId('b', i),
  message: (i: number) => objectId('d', i),
  event: (i: number) => `evt_${String(i).padStart(8, '0')}`,
};
const contactIdentifier = (i: number) => `5511${String(i).padStart(9, '0')}`;
const waKey = (i: number) => `${ids.channel(i % 100).toHexString()}:3EB0${String(i).padStart(16, '0')}`;
const openKey = (i: number) => openKeyOf(ids.channel(i).toHexString(), ids.contact(i).toHexString(), 'karoochat');
/** Every 400th conversation is open (the rest ended: no openKey); every 400th event is pending. */
const isOpen = (i: number) => i % 400 === 0;

/** Seeds ROWS documents into a collection through the driver, in the shape the app stores. */
const SEEDS: Record<string, (i: number, now: Date) => mongo.Document> = {
  contacts: (i, now) => ({
    _id: ids.contact(i),
    clientIdentifier: account(i),
    channelId: ids.channel(i).toHexString(),
    contactIdentifier: contactIdentifier(i),
    name: `Contact ${i}`,
    nameTokens: ['contact', String(i)],
    type: 'individual',
    channelType: 'whatsapp',
    tagIds: [],
    isIgnored: false,
    createdAt: now,
    updatedAt: now,
    __v: 0,
  }),
  channels: (i, now) => ({
    _id: ids.channel(i),
    clientIdentifier: account(i),
    platformConfigId: new ObjectId().toHexString(),
    service: 'whatsappweb',
    provider: { clientNumber: `55119${String(i).padStart(8, '0')}`, companyId: `company-${i}` },
    platforms: [],
    startingPlatform: 'karoochat',
    version: 0,
    createdAt: now,
    updatedAt: now,
    __v: 0,
  }),
  conversations: (i, now) => ({
    _id: ids.conversation(i),
    clientIdentifier: account(i),
    service: 'whatsappweb',
    channelId: ids.channel(i).toHexString(),
    platformConfigId: ids.channel(i).toHexString(),
    contactId: ids.contact(i).toHexString(),
    chatId: `${contactIdentifier(i)}@c.us`,
    isGroup: false,
    platform: 'karoochat',
    sessionWithPriority: false,
    ...(isOpen(i) ? { status: 'open', openKey: openKey(i) } : { status: 'ended', endedAt: now }),
    createdAt: now,
    updatedAt: now,
    __v: 0,
  }),
  messages: (i, now) => ({
    _id: ids.message(i),
    clientIdentifier: account(i),
    channelId: ids.channel(i % 100).toHexString(),
    direction: i % 2 ? 'inbound' : 'outbound',
    waMessageId: waKey(i).split(':')[1],
    waKey: waKey(i),
    chatId: `${contactIdentifier(i)}@c.us`,
    contactId: ids.contact(i).toHexString(),
    conversationId: ids.conversation(i).toHexString(),
    isGroup: false,
    type: 'text',
    body: `message ${i} `.repeat(8),
    status: 'delivered',
    timestamp: now,
    createdAt: now,
    updatedAt: now,
    __v: 0,
  }),
  webhook_events: (i, now) => ({
    _id: ids.event(i),
    key: `message.received:${ids.message(i).toHexString()}`,
    clientIdentifier: account(i),
    channelId: ids.channel(i % 100).toHexString(),
    platform: 'karoochat',
    type: 'message.received',
    body: JSON.stringify({ id: ids.event(i), text: `message ${i} `.repeat(8) }),
    state: isOpen(i) ? 'pending' : 'delivered',
    attempts: [],
    attemptCount: isOpen(i) ? 0 : 1,
    failures: 0,
    replays: 0,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
  }),
};

interface HotQueryContext {
  repo<T>(type: Type<T>): T;
  find(collection: string, filter: Record<string, unknown>): Promise<unknown>;
}

/**
 * The hot queries, each as its repository sends it (or, where a repository is being reshaped, as the
 * filter it sends), and the collection it must reach by an index. One line a case.
 */
const HOT_QUERIES: Array<{ name: string; collection: string; run: (q: HotQueryContext) => Promise<unknown> }> = [
  { name: 'contact by id', collection: 'contacts', run: (q) => q.repo(ContactsRepository).findById(account(AT), ids.contact(AT).toHexString()) },
  {
    name: 'contact by (clientIdentifier, channelId, contactIdentifier)',
    collection: 'contacts',
    run: (q) => q.repo(ContactsRepository).findByIdentifier(account(AT), ids.channel(AT).toHexString(), contactIdentifier(AT)),
  },
  { name: 'channel by id', collection: 'channels', run: (q) => q.repo(ChannelsRepository).findById(account(AT), ids.channel(AT).toHexString()) },
  { name: 'open conversation by openKey', collection: 'conversations', run: (q) => q.repo(ConversationsRepository).findOpen(account(AT), openKey(AT)) },
  {
    name: 'first open conversation of a contact',
    collection: 'conversations',
    run: (q) => q.repo(ConversationsRepository).findFirstOpen(account(AT), ids.channel(AT).toHexString(), ids.contact(AT).toHexString()),
  },
  { name: 'conversation by id', collection: 'conversations', run: (q) => q.repo(ConversationsRepository).findById(account(AT), ids.conversation(AT).toHexString()) },
  { name: 'message by WhatsApp id (waKey)', collection: 'messages', run: (q) => q.find('messages', { waKey: waKey(AT) }) },
  { name: 'webhook event by id', collection: 'webhook_events', run: (q) => q.find('webhook_events', { _id: ids.event(AT) }) },
  { name: 'open webhook events (state)', collection: 'webhook_events', run: (q) => q.find('webhook_events', { state: 'pending' }) },
];

/**
 * Proves the hot queries are index-served on the embedded store: FerretDB over a private PostgreSQL
 * cluster that logs every plan (auto_explain), ROWS documents in each collection, and no Seq Scan of
 * a large table in what PostgreSQL ran for each query. Its own cluster, so the shared one runs as the
 * server does.
 */
describe('hot queries on the embedded store use indexes (PostgreSQL plans)', () => {
  const root = mkdtempSync(join(tmpdir(), 'omc-explain-'));
  const processes: ManagedProcess[] = [];
  let t: TestApp;
  let pg: Client;
  let plans: PlanLog;
  /** Collection → its table in the FerretDB schema; table → rows (after ANALYZE). */
  const tables = new Map<string, string>();
  const rows = new Map<string, number>();

  beforeAll(async () => {
    const cluster = await startPostgres({ dataDir: join(root, 'postgresql'), durable: false, settings: autoExplainSettings() });
    processes.push(cluster.process);
    const backend = { handler: 'postgresql' as const, postgresqlUrl: ferretDbPostgresUrl(cluster) };
    const store = await startFerretDb({ port: await freePort(), stateDir: join(root, 'ferretdb'), backend }, 'explain');
    processes.push(store.process);
    const database = uniqueDatabase('explain');
    t = await startTestApp('explain', {
      __DATABASE: database,
      MONGODB_URI: withDatabase(store.uri, database),
      FERRETDB_POSTGRESQL_URL: cluster.url(FERRETDB_PG_DATABASE),
      // No sweep between a query and its marker.
      WEBHOOK_SWEEP_INTERVAL_MS: String(60 * 60 * 1000),
    });
    const connection = t.app.get<Connection>(getConnectionToken());

    const now = new Date();
    for (const [collection, seed] of Object.entries(SEEDS))
      for (let start = 0; start < ROWS; start += BATCH)
        await connection.db!.collection(collection).insertMany(
          Array.from({ length: BATCH }, (_, k) => seed(start + k, now)),
          { ordered: false },
        );

    pg = new Client({ connectionString: cluster.url(FERRETDB_PG_DATABASE) });
    await pg.connect();
    const schema = escapeIdentifier(database);
    for (const r of (await pg.query<{ collection: string; table: string }>(`SELECT _jsonb->>'_id' AS collection, _jsonb->>'table' AS table FROM ${schema}._ferretdb_database_metadata`)).rows)
      tables.set(r.collection, r.table);
    for (const collection of Object.keys(SEEDS)) await pg.query(`ANALYZE ${schema}.${escapeIdentifier(tables.get(collection)!)}`);
    const counted = await pg.query<{ relname: string; reltuples: number }>(
      `SELECT c.relname, c.reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [database],
    );
    for (const r of counted.rows) rows.set(r.relname, Number(r.reltuples));

    plans = new PlanLog(join(cluster.dataDir, AUTO_EXPLAIN_LOG_DIR), pg);
    await plans.start();
  }, 600_000);

  afterAll(async () => {
    await plans?.stop().catch(() => undefined);
    await pg?.end().catch(() => undefined);
    await t?.close();
    for (const p of [...processes].reverse()) await p.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /** Runs the query and returns what PostgreSQL ran for it. */
  async function explain(run: (q: HotQueryContext) => Promise<unknown>): Promise<LoggedPlan[]> {
    const connection = t.app.get<Connection>(getConnectionToken());
    await plans.capture();
    await run({
      repo: (type) => t.app.get(type),
      find: (collection, filter) => connection.db!.collection(collection).find(filter as mongo.Filter<mongo.Document>).toArray(),
    });
    return plans.capture();
  }

  /** Seq Scans of tables of at least LARGE rows, with their plans for the failure message. */
  function largeSeqScans(logged: LoggedPlan[]): string[] {
    return logged
      .filter((p) => planNodes(p.plan).some((n) => n['Node Type'] === 'Seq Scan' && (rows.get(n['Relation Name'] ?? '') ?? 0) >= LARGE))
      .map((p) => `${p.query}\n${describePlan(p.plan)}`);
  }

  it('loaded every collection with enough rows for the planner to prefer an index', () => {
    for (const collection of Object.keys(SEEDS)) expect(rows.get(tables.get(collection)!)).toBeGreaterThanOrEqual(ROWS * 0.9);
  });

  it.each(HOT_QUERIES)('$name: index scans only, on $collection', async ({ collection, run }) => {
    const logged = await explain(run);
    const table = tables.get(collection)!;
    const onTable = logged.filter((p) => relationsOf(p.plan).includes(table));
    expect(onTable.map((p) => p.query)).not.toEqual([]);
    expect(largeSeqScans(logged)).toEqual([]);
  });

  // The check can fail: a filter on a field no index declaration names is read by a Seq Scan.
  it('sees the Seq Scan of a filter no index fits (contacts by isIgnored)', async () => {
    const logged = await explain((q) => q.find('contacts', { isIgnored: true }));
    expect(largeSeqScans(logged)).toHaveLength(1);
  });
});
