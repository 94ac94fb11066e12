import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import { Client, escapeIdentifier, escapeLiteral } from 'pg';

/**
 * FerretDB 1.24 over PostgreSQL filters a top-level equality in SQL as `_jsonb->'field' @> $1`,
 * which only a GIN expression index can serve: the btree indexes it builds from Mongoose's
 * declarations are never used by a find. So every field a model declares an index on (the
 * declaration that gives MongoDB its index) also gets `USING gin ((_jsonb->'field') jsonb_path_ops)`
 * on the collection's table. Dotted paths are left out: FerretDB filters those in Go anyway.
 */
export function ginFieldsByCollection(connection: Connection): Map<string, string[]> {
  const byCollection = new Map<string, Set<string>>();
  for (const model of Object.values(connection.models)) {
    const fields = byCollection.get(model.collection.collectionName) ?? new Set(['_id']);
    for (const [keys, options] of model.schema.indexes()) {
      if ((options as { weights?: unknown }).weights) continue; // a text index: not equality
      for (const [field, kind] of Object.entries(keys)) if (!field.includes('.') && kind !== 'text') fields.add(field);
    }
    byCollection.set(model.collection.collectionName, fields);
  }
  return new Map([...byCollection].map(([c, f]) => [c, [...f].sort()]));
}

/** PostgreSQL names stop at 63 bytes: a long one keeps a readable start and a hash of the whole. */
export function ginIndexName(table: string, field: string): string {
  const name = `${table}_gin_${field}`.replace(/[^A-Za-z0-9_]/g, '_');
  if (Buffer.byteLength(name) <= 63) return name;
  return `${name.slice(0, 50)}_${createHash('sha256').update(`${table}\0${field}`).digest('hex').slice(0, 12)}`;
}

export interface GinIndexPlan {
  table: string;
  field: string;
  name: string;
}

/** One lock for every process creating these indexes, so two boots never race on a name. */
const LOCK_KEY = 0x6f6d6367; // "omcg"

/**
 * Creates the GIN indexes that are missing in `database` (a FerretDB database = a PostgreSQL
 * schema; its tables are named in `_ferretdb_database_metadata`). Existing indexes are read from
 * the catalogue first: `CREATE INDEX IF NOT EXISTS` would still lock each table against writes.
 * Collections without a table yet are skipped (FerretDB creates tables lazily): run again later.
 */
export async function ensureGinIndexes(pgUrl: string, database: string, fields: Map<string, string[]>): Promise<GinIndexPlan[]> {
  const client = new Client({ connectionString: pgUrl });
  await client.connect();
  try {
    const schema = escapeIdentifier(database);
    const metadata = await client.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [`${schema}._ferretdb_database_metadata`]);
    if (!metadata.rows[0].exists) return [];
    const tables = await client.query<{ collection: string; table: string }>(
      `SELECT _jsonb->>'_id' AS collection, _jsonb->>'table' AS table FROM ${schema}._ferretdb_database_metadata`,
    );
    const existing = new Set(
      (await client.query<{ indexname: string }>('SELECT indexname FROM pg_indexes WHERE schemaname = $1', [database])).rows.map((r) => r.indexname),
    );
    const missing: GinIndexPlan[] = [];
    for (const { collection, table } of tables.rows)
      for (const field of fields.get(collection) ?? []) {
        const name = ginIndexName(table, field);
        if (!existing.has(name)) missing.push({ table, field, name });
      }
    if (missing.length === 0) return [];
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    try {
      for (const { table, field, name } of missing)
        await client.query(
          `CREATE INDEX IF NOT EXISTS ${escapeIdentifier(name)} ON ${schema}.${escapeIdentifier(table)} USING gin ((_jsonb -> ${escapeLiteral(field)}) jsonb_path_ops)`,
        );
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
    }
    return missing;
  } finally {
    await client.end();
  }
}
