import { Semaphore } from 'async-mutex';
import type { Model, QueryFilter } from 'mongoose';
import { Batcher } from './batcher';
import { GroupCommitOptions, StoreAdapter, StoreIdentity, UniqueConflict, UniqueUpdate } from './store-adapter';
import { SqlPageReader } from './sql-page';
import { anyOfFilter, findByEqualityUnion, findPageByEqualityUnion, FoundPage, PageWindow } from './store-queries';
import { StoreLock } from './store-lock';
import { retryWhileBusy } from './transient-retry';
import { withWriteTimeout } from './write-timeout';

/** Values up to which an any-of list runs one indexed equality query per value (beyond: one scan). */
export const MAX_EQUALITY_UNION = 10;
/**
 * Longest a serialised write may hold its key. FerretDB has been seen to lose a reply (nothing in
 * flight in the database, the driver waiting for ever); a lock held that long would block the
 * document for every process. After this the write fails (StoreWriteTimeoutError) and the key is
 * released; the write may still land, which is the one case a concurrent writer could be undone.
 */
export const MAX_HOLD_MS = 20_000;
/**
 * Serialised writes in flight at once in this process. FerretDB 1.24 runs an update (or delete)
 * as a query whose open result holds one pooled PostgreSQL connection while the write asks the
 * pool for a second (handler/msg_update.go): once every connection of its pool (16 embedded, 32
 * in the test harness) is held by such a query, no write can get its second and FerretDB stops
 * answering, its connections idle. Measured: 50 concurrent guarded updates hung it for good.
 */
export const MAX_CONCURRENT_WRITES = 8;
/** How long a write that scans the collection gathers items before it runs... */
export const SCAN_LINGER_MS = 200;
/** ...and at least this many times as long as the last such write took (so the database is busy ≤ 1/(1+4) of the time). */
export const SCAN_LINGER_FACTOR = 4;
/** Documents updated at once by updateEach. */
const UPDATE_EACH_CONCURRENCY = 8;

/**
 * FerretDB 1.24 (SQLite or PostgreSQL backend). Its updates are read-then-write in Go without
 * isolation and it does not report unique violations from updates, so: state-dependent writes
 * take a lock per document (`lock`: held in Redis across processes), updates of unique fields
 * check for a holder first (under the unique value's lock), and SQLite's busy answers are retried.
 */
export class FerretDbStoreAdapter extends StoreAdapter {
  /** Slots for serialised writes (see MAX_CONCURRENT_WRITES); taken once the key is held, so a waiter for a key holds none. */
  private readonly writes: Semaphore;

  constructor(
    readonly identity: StoreIdentity,
    private readonly lock: StoreLock,
    private readonly maxHoldMs = MAX_HOLD_MS,
    maxConcurrentWrites = MAX_CONCURRENT_WRITES,
    /** FerretDB's PostgreSQL when this server knows it: lists are then paged there (see SqlPageReader). */
    private readonly sqlPages?: SqlPageReader,
  ) {
    super();
    this.writes = new Semaphore(maxConcurrentWrites);
  }

  serialize<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.lock.run(key, () => this.writes.runExclusive(() => withWriteTimeout(key, this.maxHoldMs, this.retryTransient(fn))));
  }

  retryTransient<T>(fn: () => Promise<T>): Promise<T> {
    return retryWhileBusy(fn);
  }

  uniqueUpdate<T>(update: UniqueUpdate<T>): Promise<T> {
    return this.lock.run(`unique:${update.key}`, async () => {
      if (await update.taken()) throw new UniqueConflict(update.key);
      return withWriteTimeout(update.key, this.maxHoldMs, this.retryTransient(update.write));
    });
  }

  async updateEach(update: { keyOf: (id: string) => string; ids: () => Promise<string[]>; one: (id: string) => Promise<unknown> }): Promise<number> {
    const ids = await update.ids();
    for (let i = 0; i < ids.length; i += UPDATE_EACH_CONCURRENCY)
      await Promise.all(ids.slice(i, i + UPDATE_EACH_CONCURRENCY).map((id) => this.serialize(update.keyOf(id), () => update.one(id))));
    return ids.length;
  }

  /** A write of many ids is one pass over the collection here: gather for a while before it. */
  override groupCommit<I, R>(write: (items: I[]) => Promise<(R | Error)[]>, options: GroupCommitOptions = {}): Batcher<I, R> {
    if (!options.scansCollection) return super.groupCommit(write, options);
    return new Batcher<I, R>((items) => this.retryTransient(() => write(items)), options.maxBatch ?? 500, SCAN_LINGER_MS, SCAN_LINGER_FACTOR);
  }

  /**
   * FerretDB fetches and decodes every match to sort and skip in Go (and again to count): over a
   * known PostgreSQL the page's ids and the total come from one SQL statement instead, when the
   * filter translates (sql-page.ts); otherwise FerretDB answers as before.
   */
  override async findPage<T>(model: Model<T>, filter: QueryFilter<T>, window: PageWindow): Promise<FoundPage<T>> {
    return (await this.sqlPages?.findPage(model, filter, window)) ?? super.findPage(model, filter, window);
  }

  /** FerretDB filters `$in` in Go over every candidate; equality on one value is served by an index. */
  override async findPageAnyOf<T>(model: Model<T>, filter: QueryFilter<T>, field: string, values: readonly string[], window: PageWindow): Promise<FoundPage<T>> {
    const sql = values.length > 0 ? await this.sqlPages?.findPage(model, anyOfFilter(filter, field, values), window) : undefined;
    if (sql) return sql;
    if (values.length < 2 || values.length > MAX_EQUALITY_UNION) return super.findPageAnyOf(model, filter, field, values, window);
    return findPageByEqualityUnion(model, filter, field, values, window);
  }

  /** Closes the connections to PostgreSQL (before the embedded services stop). */
  override async close(): Promise<void> {
    await this.sqlPages?.close();
  }

  override findAnyOf<T>(model: Model<T>, filter: QueryFilter<T>, field: string, values: readonly string[], projection?: Record<string, 0 | 1>): Promise<T[]> {
    if (values.length < 2 || values.length > MAX_EQUALITY_UNION) return super.findAnyOf(model, filter, field, values, projection);
    return findByEqualityUnion(model, filter, field, [...new Set(values)], projection);
  }
}
