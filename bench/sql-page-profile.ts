import type { Model, QueryFilter } from 'mongoose';
import { Pool } from 'pg';
import { escapeIdentifier } from 'pg';
import { pageStatement, readPageDocs, schemaFieldKind, translateFilter } from '../src/store/sql-page';
import type { PageWindow } from '../src/store/store-queries';
import { percentile, round, timeMs } from './stats';

/** Where a SQL-paged list spends its time: the one statement (ids + total), then the page's documents through FerretDB. */
export interface SqlPageProfile {
  sqlP50Ms: number;
  docsP50Ms: number;
  /** Other calls timed in the same runs (e.g. the repository's list, the API call), p50 each, for the gaps between them. */
  alongsideP50Ms: Record<string, number>;
  pageSize: number;
  total: number;
  /** EXPLAIN (ANALYZE, BUFFERS) of the statement, one line per plan node. */
  plan: string[];
}

/**
 * Splits a list's time the way FerretDbStoreAdapter's SqlPageReader spends it (src/store/sql-page.ts):
 * undefined when the filter is not one the SQL path serves. Runs each part `runs` times.
 */
export async function profileSqlPage<T>(
  pgUrl: string,
  model: Model<T>,
  filter: QueryFilter<T>,
  w: PageWindow,
  alongside: Record<string, () => Promise<unknown>> = {},
  runs = 5,
): Promise<SqlPageProfile | undefined> {
  const conditions = translateFilter(filter as Record<string, unknown>, (f) => schemaFieldKind(model, f));
  if (!conditions) return undefined;
  const pool = new Pool({ connectionString: pgUrl, max: 1 });
  try {
    const schema = model.db.name;
    const meta = await pool.query<{ table: string }>(
      `SELECT _jsonb ->> 'table' AS table FROM ${escapeIdentifier(schema)}._ferretdb_database_metadata WHERE _jsonb ->> '_id' = $1`,
      [model.collection.collectionName],
    );
    const statement = pageStatement(schema, meta.rows[0].table, conditions, w);
    let row = { total: '0', ids: [] as string[] };
    const sql: number[] = [];
    const docs: number[] = [];
    const calls = new Map(Object.keys(alongside).map((name) => [name, [] as number[]]));
    for (let i = 0; i < runs; i++) {
      sql.push(await timeMs(async () => (row = (await pool.query<{ total: string; ids: string[] }>(statement)).rows[0])));
      docs.push(await timeMs(() => readPageDocs(model, row.ids, conditions)));
      for (const [name, call] of Object.entries(alongside)) calls.get(name)!.push(await timeMs(call));
    }
    const explained = await pool.query<{ 'QUERY PLAN': string }>({ text: `EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, values: statement.values });
    return {
      sqlP50Ms: round(percentile(sql, 50)),
      docsP50Ms: round(percentile(docs, 50)),
      alongsideP50Ms: Object.fromEntries([...calls].map(([name, times]) => [name, round(percentile(times, 50))])),
      pageSize: row.ids.length,
      total: Number(row.total),
      plan: explained.rows.map((r) => r['QUERY PLAN']),
    };
  } finally {
    await pool.end();
  }
}
