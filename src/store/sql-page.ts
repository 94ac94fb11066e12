import type { Model, QueryFilter } from 'mongoose';
import { escapeIdentifier, escapeLiteral, Pool } from 'pg';
import type { FoundPage, PageWindow } from './store-queries';

/** A field holding any of `values` (one value: equality; an array field holding one of them matches too). */
export interface SqlCondition {
  field: string;
  values: Array<string | boolean>;
}

/** How a top-level field is stored, as far as the translation needs to know (from the model's schema). */
export type FieldKind = 'string' | 'boolean' | 'stringArray';

/** Connections to FerretDB's PostgreSQL: few, the pages' SQL is one statement each. */
export const SQL_PAGE_POOL_MAX = 4;

/**
 * The conditions a filter is made of, when every part is one FerretDB 1.24 stores in a form a GIN
 * `(_jsonb->'field') jsonb_path_ops` index serves: a top-level equality on a string (or array of
 * strings) or boolean field, `$in` of strings, and `$and` of those. Undefined for anything else
 * (operators, dotted paths, numbers, ObjectId, dates, objects): the caller asks FerretDB instead.
 * FerretDB stores strings and booleans as their JSON values (ObjectIds as hex strings too, which
 * is why the field's declared kind is asked: a string must not match an ObjectId).
 */
export function translateFilter(filter: Record<string, unknown>, kindOf: (field: string) => FieldKind | undefined): SqlCondition[] | undefined {
  const out: SqlCondition[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and') {
      if (!Array.isArray(value) || value.length === 0) return undefined;
      for (const part of value) {
        if (part === null || typeof part !== 'object' || Array.isArray(part)) return undefined;
        const inner = translateFilter(part as Record<string, unknown>, kindOf);
        if (!inner) return undefined;
        out.push(...inner);
      }
      continue;
    }
    if (key.startsWith('$') || key.includes('.') || key === '_id') return undefined;
    const kind = kindOf(key);
    if (!kind) return undefined;
    if (typeof value === 'string') {
      if (kind === 'boolean') return undefined;
      out.push({ field: key, values: [value] });
    } else if (typeof value === 'boolean') {
      if (kind !== 'boolean') return undefined;
      out.push({ field: key, values: [value] });
    } else if (isStringIn(value) && kind !== 'boolean') {
      out.push({ field: key, values: [...new Set(value.$in)] });
    } else return undefined;
  }
  return out;
}

function isStringIn(value: unknown): value is { $in: string[] } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const list = (value as { $in?: unknown }).$in;
  return keys.length === 1 && Array.isArray(list) && list.length > 0 && list.every((v) => typeof v === 'string');
}

/** The kind of a top-level path as the model declares it (undefined: not one the SQL path handles). */
export function schemaFieldKind(model: Model<any>, field: string): FieldKind | undefined {
  const path = model.schema.path(field) as unknown as { instance?: string; caster?: { instance?: string }; embeddedSchemaType?: { instance?: string } } | undefined;
  if (!path) return undefined;
  if (path.instance === 'String') return 'string';
  if (path.instance === 'Boolean') return 'boolean';
  if (path.instance === 'Array' && (path.embeddedSchemaType ?? path.caster)?.instance === 'String') return 'stringArray';
  return undefined;
}

/** The WHERE clause and its parameters (values always as parameters; field names as literals, so the index expression matches). */
export function whereClause(conditions: SqlCondition[], params: unknown[]): string {
  if (conditions.length === 0) return 'TRUE';
  return conditions
    .map(({ field, values }) => {
      const any = values.map((v) => {
        params.push(JSON.stringify(v));
        return `_jsonb -> ${escapeLiteral(field)} @> $${params.length}::jsonb`;
      });
      return any.length === 1 ? any[0] : `(${any.join(' OR ')})`;
    })
    .join(' AND ');
}

/** One statement: the page's `_id`s in `_id` order and the count of every match. */
export function pageStatement(schema: string, table: string, conditions: SqlCondition[], w: PageWindow): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const where = whereClause(conditions, values);
  values.push(w.limit, w.skip);
  const order = w.order === 1 ? 'ASC' : 'DESC';
  const text =
    `WITH m AS MATERIALIZED (SELECT _jsonb ->> '_id' AS id FROM ${escapeIdentifier(schema)}.${escapeIdentifier(table)} WHERE ${where}) ` +
    `SELECT (SELECT count(*) FROM m)::bigint AS total, ` +
    `ARRAY(SELECT id FROM m ORDER BY id COLLATE "C" ${order} LIMIT $${values.length - 1} OFFSET $${values.length}) AS ids`;
  return { text, values };
}

/** Whether a document read back still holds every condition (the statement saw it an instant earlier). */
export function matchesConditions(doc: Record<string, unknown>, conditions: SqlCondition[]): boolean {
  return conditions.every(({ field, values }) => {
    const stored = doc[field];
    return Array.isArray(stored) ? stored.some((v) => values.includes(v as string)) : values.includes(stored as string | boolean);
  });
}

/**
 * The page's documents through FerretDB by `_id` alone, the one condition its planner always serves
 * from the `_id` index (with the filter's other equalities beside it, PostgreSQL was seen to pick a
 * GIN index matching most of the table instead); the conditions are then checked here, so a
 * document changed since the statement drops out, as it would from the filtered read.
 */
export async function readPageDocs<T>(model: Model<T>, ids: string[], conditions: SqlCondition[]): Promise<T[]> {
  const docs = await Promise.all(ids.map((id) => model.findOne({ _id: id } as QueryFilter<T>).lean<T>()));
  return docs.filter((d): d is NonNullable<typeof d> => d !== null && matchesConditions(d as Record<string, unknown>, conditions)) as T[];
}

const UNDEFINED_TABLE = '42P01';

/**
 * Pages of a FerretDB-over-PostgreSQL collection asked of PostgreSQL directly: the matching
 * `_id`s and their count come from one SQL statement over the GIN indexes (FerretDB itself
 * would fetch and decode every match, twice), then the page's documents are read through
 * FerretDB, one `_id` equality each, so decoding stays FerretDB's.
 */
export class SqlPageReader {
  private readonly tables = new Map<string, Promise<string | undefined>>();

  constructor(private readonly pool: Pool) {}

  static connect(url: string, onError: (err: Error) => void): SqlPageReader {
    const pool = new Pool({ connectionString: url, max: SQL_PAGE_POOL_MAX, idleTimeoutMillis: 30_000 });
    pool.on('error', onError);
    return new SqlPageReader(pool);
  }

  /** The page, or undefined when the filter (or the model's `_id`) is not one the SQL path serves. */
  async findPage<T>(model: Model<T>, filter: QueryFilter<T>, w: PageWindow): Promise<FoundPage<T> | undefined> {
    const idKind = (model.schema.path('_id') as unknown as { instance?: string } | undefined)?.instance;
    if (idKind !== 'ObjectId' && idKind !== 'String') return undefined;
    const conditions = translateFilter(filter as Record<string, unknown>, (f) => schemaFieldKind(model, f));
    if (!conditions) return undefined;
    const schema = model.db.name;
    const collection = model.collection.collectionName;
    const table = await this.tableOf(schema, collection);
    if (table === undefined) return { docs: [], total: 0 };
    const statement = pageStatement(schema, table, conditions, w);
    let row: { total: string; ids: string[] };
    try {
      row = (await this.pool.query<{ total: string; ids: string[] }>(statement)).rows[0];
    } catch (err) {
      if ((err as { code?: string }).code === UNDEFINED_TABLE) {
        this.tables.delete(`${schema}\0${collection}`);
        return undefined;
      }
      throw err;
    }
    return { docs: await readPageDocs(model, row.ids, conditions), total: Number(row.total) };
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  /** FerretDB's table for a collection (undefined: none yet, the collection is empty). */
  private tableOf(schema: string, collection: string): Promise<string | undefined> {
    const key = `${schema}\0${collection}`;
    let table = this.tables.get(key);
    if (!table) {
      table = this.pool
        .query<{ table: string }>(
          `SELECT _jsonb ->> 'table' AS table FROM ${escapeIdentifier(schema)}._ferretdb_database_metadata WHERE _jsonb ->> '_id' = $1`,
          [collection],
        )
        .then((r) => r.rows[0]?.table)
        .catch((err: { code?: string }) => {
          if (err.code === UNDEFINED_TABLE) return undefined;
          throw err;
        });
      // Only a found table is kept: a collection may get its table later.
      table.then((t) => t === undefined && this.tables.delete(key), () => this.tables.delete(key));
      this.tables.set(key, table);
    }
    return table;
  }
}
