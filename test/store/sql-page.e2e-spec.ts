import mongoose, { type Connection, type Model, mongo } from 'mongoose';
import { Client } from 'pg';
import { ensureGinIndexes, ginFieldsByCollection } from '../../src/database/embedded/gin-indexes';
import { Contact, ContactSchema } from '../../src/contacts/schemas/contact.schema';
import { SqlPageReader, pageStatement, translateFilter, schemaFieldKind } from '../../src/store/sql-page';
import { findPage, type PageWindow } from '../../src/store/store-queries';
import { withDatabase } from '../harness/services';
import { startTestApp, uniqueDatabase } from '../harness/test-app';
import { StoreAdapter } from '../../src/store/store-adapter';

const { ObjectId } = mongo;
const ROWS = 3_000;

/**
 * The SQL page (ids and total from FerretDB's PostgreSQL, documents through FerretDB) must be
 * exactly what FerretDB's own find/sort/skip/limit and countDocuments return. Runs on the
 * harness's embedded store (FerretDB over PostgreSQL, FERRETDB_POSTGRESQL_URL).
 */
describe('SQL-paged lists on FerretDB over PostgreSQL', () => {
  const pgUrl = process.env.FERRETDB_POSTGRESQL_URL;
  const database = uniqueDatabase('sqlpage');
  let connection: Connection;
  let model: Model<Contact>;
  let reader: SqlPageReader;

  beforeAll(async () => {
    if (!pgUrl) throw new Error('this suite needs the embedded store: the harness sets FERRETDB_POSTGRESQL_URL');
    connection = await mongoose.createConnection(withDatabase(process.env.MONGODB_URI!, database)).asPromise();
    model = connection.model<Contact>(Contact.name, ContactSchema);
    const docs = Array.from({ length: ROWS }, (_, i) => ({
      // Ids out of insertion order, so `_id` order is not the table's order.
      _id: new ObjectId(`${((i * 7919) % ROWS).toString(16).padStart(8, '0')}${'0'.repeat(16)}`),
      clientIdentifier: `acct-${i % 3}`,
      channelId: `chan-${i % 5}`,
      contactIdentifier: String(100000 + i),
      name: `Person ${i % 50} ${i % 7 === 0 ? 'Silva' : 'Souza'}`,
      nameTokens: ['person', String(i % 50), i % 7 === 0 ? 'silva' : 'souza'],
      type: i % 4 === 0 ? 'group' : 'individual',
      channelType: 'whatsapp',
      tagIds: [i % 10 === 0 ? 'vip' : 'std', ...(i % 15 === 0 ? ['late'] : [])],
      isIgnored: i % 9 === 0,
    }));
    await model.insertMany(docs);
    await ensureGinIndexes(pgUrl, database, ginFieldsByCollection(connection));
    reader = SqlPageReader.connect(pgUrl, () => undefined);
  }, 120_000);

  afterAll(async () => {
    await reader?.close();
    await connection?.dropDatabase().catch(() => undefined);
    await connection?.close();
  });

  const windows: PageWindow[] = [
    { skip: 0, limit: 20, order: -1 },
    { skip: 0, limit: 20, order: 1 },
    { skip: 35, limit: 10, order: -1 },
    { skip: 995, limit: 50, order: 1 },
    { skip: 5_000, limit: 10, order: -1 },
  ];
  const filters: Array<[string, Record<string, unknown>]> = [
    ['account only', { clientIdentifier: 'acct-1' }],
    ['type', { clientIdentifier: 'acct-2', type: 'group' }],
    ['one tag (array field)', { clientIdentifier: 'acct-0', tagIds: 'vip' }],
    ['tags all', { clientIdentifier: 'acct-0', tagIds: 'std', $and: [{ tagIds: 'late' }] }],
    ['tags any', { clientIdentifier: 'acct-0', tagIds: { $in: ['vip', 'late'] } }],
    ['name tokens', { clientIdentifier: 'acct-1', nameTokens: 'silva', $and: [{ nameTokens: '14' }] }],
    ['boolean', { clientIdentifier: 'acct-1', isIgnored: true }],
    ['no match', { clientIdentifier: 'acct-1', channelId: 'nowhere' }],
  ];

  it.each(filters)('%s: same docs, order and total as FerretDB', async (_name, filter) => {
    for (const w of windows) {
      const sql = await reader.findPage(model, filter, w);
      const expected = await findPage(model, filter, w);
      expect(sql).toBeDefined();
      expect(sql!.total).toBe(expected.total);
      expect(sql!.docs).toEqual(expected.docs);
    }
  });

  it('falls back (undefined) for a filter it does not translate', async () => {
    const regex = { clientIdentifier: 'acct-1', name: { $regex: '^Person 1' } };
    expect(await reader.findPage(model, regex, windows[0])).toBeUndefined();
    expect(await reader.findPage(model, { clientIdentifier: 'acct-1', _id: { $gt: new ObjectId() } }, windows[0])).toBeUndefined();
  });

  it('stored strings, booleans and ObjectId ids are plain JSON in FerretDB 1.24, and the statement is served by the GIN index', async () => {
    const pg = new Client({ connectionString: pgUrl });
    await pg.connect();
    try {
      const meta = await pg.query<{ table: string }>(`SELECT _jsonb->>'table' AS table FROM "${database}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = 'contacts'`);
      const table = meta.rows[0].table;
      const row = (await pg.query<{ _jsonb: Record<string, unknown> }>(`SELECT _jsonb FROM "${database}"."${table}" LIMIT 1`)).rows[0]._jsonb;
      expect(row._id).toMatch(/^[0-9a-f]{24}$/);
      expect(typeof row.clientIdentifier).toBe('string');
      expect(typeof row.isIgnored).toBe('boolean');
      await pg.query(`ANALYZE "${database}"."${table}"`);
      const filter = { clientIdentifier: 'acct-0', tagIds: 'late' };
      const st = pageStatement(database, table, translateFilter(filter, (f) => schemaFieldKind(model, f))!, windows[0]);
      const plan = (await pg.query<{ 'QUERY PLAN': string }>({ text: `EXPLAIN ${st.text}`, values: st.values })).rows.map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toMatch(/Bitmap Index Scan on \S*_gin_tagIds/);
      expect(plan).not.toMatch(/Seq Scan/);
    } finally {
      await pg.end();
    }
  });

  it('the app wires it: its adapter pages in SQL (StoreModule gets the PostgreSQL URL)', async () => {
    const t = await startTestApp('sqlpage-app');
    try {
      expect((t.app.get(StoreAdapter) as unknown as { sqlPages?: SqlPageReader }).sqlPages).toBeInstanceOf(SqlPageReader);
    } finally {
      await t.close();
    }
  });
});
