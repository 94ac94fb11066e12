import type { Model, mongo, QueryFilter } from 'mongoose';
import { Batcher } from './batcher';
import { insertManyReportingDuplicates } from './insert-many';
import { anyOfFilter, findPage, FoundPage, PageWindow } from './store-queries';
import { isUniqueViolation, UniqueConflict } from './unique-violation';

export type StoreKind = 'mongodb' | 'ferretdb';

/** How a group-committed writer batches (StoreAdapter.groupCommit). */
export interface GroupCommitOptions {
  /** Items per write at most (default 500). */
  maxBatch?: number;
  /**
   * The write costs about the same whatever the batch size on some store (FerretDB runs an update
   * or delete of many ids as one pass over the collection). The adapter may then hold a write a
   * little to gather more; on MongoDB nothing ever waits. Only for writes nobody waits on.
   */
  scansCollection?: boolean;
}

/** What the server said it is (buildInfo), for logs, health and the adapter's choices. */
export interface StoreIdentity {
  kind: StoreKind;
  /** MongoDB's version, or FerretDB's own (`ferretdbVersion`). */
  version: string;
  /** FerretDB's backend when it can be told ('sqlite' | 'postgresql'); undefined on MongoDB. */
  backend?: string;
}

/** An update that may move a document onto a value a unique index holds. */
export interface UniqueUpdate<T> {
  /** Names the unique value (e.g. `contacts:<account>:<channel>:<identifier>`): the lock key of the check. */
  key: string;
  /** True when another document already holds the value (only asked on stores that do not report it). */
  taken: () => Promise<boolean>;
  write: () => Promise<T>;
}

/**
 * The one place that knows which store the server talks to. Domain code states what it needs in
 * MongoDB's terms (unique insert, guarded findOneAndUpdate, `$inc`, `$addToSet`, insertMany) and
 * runs those writes through this adapter; on MongoDB the adapter adds nothing, on FerretDB it
 * adds what the store lacks (see docs/store.md). Also the DI token: StoreModule picks the
 * implementation at boot by asking the server (`buildInfo`).
 */
export abstract class StoreAdapter {
  abstract readonly identity: StoreIdentity;

  get kind(): StoreKind {
    return this.identity.kind;
  }

  get backend(): string | undefined {
    return this.identity.backend;
  }

  /**
   * Runs a write whose result depends on the document's current state — a findOneAndUpdate with
   * a condition, `$inc`, `$addToSet`, `$pullAll`, a versioned update — so that it is atomic per
   * `key` (name the document: `<collection>:<id>`). MongoDB makes each such write atomic itself;
   * FerretDB reads, changes in Go and writes the whole document back, so concurrent writers of
   * one document must take turns, in this process and across processes. Keep `fn` to the write
   * (and the read it depends on): it holds the key for its whole run.
   */
  abstract serialize<T>(key: string, fn: () => Promise<T>): Promise<T>;

  /** Runs a write again while the store answers a transient "busy" (FerretDB on SQLite). */
  abstract retryTransient<T>(fn: () => Promise<T>): Promise<T>;

  /**
   * An update that may change a unique field. MongoDB reports the violation from the update
   * (E11000); FerretDB does not report it as such, so there the adapter checks `taken` first
   * (under the value's key) and throws UniqueConflict. Either way callers test the error with
   * isUniqueViolation.
   */
  abstract uniqueUpdate<T>(update: UniqueUpdate<T>): Promise<T>;

  /**
   * Updates several documents (updateMany) without losing concurrent single-document writes.
   * MongoDB runs `many`; a store without document-level isolation instead finds the `ids` and runs
   * `one(id)` per document under that document's key (`keyOf`), as serialize does.
   */
  abstract updateEach(update: { keyOf: (id: string) => string; ids: () => Promise<string[]>; one: (id: string) => Promise<unknown>; many: () => Promise<number> }): Promise<number>;

  /**
   * A group-committed writer: callers add one item each and get their own result; items that
   * arrive while a write runs go in the next one (one round trip per burst, on every store). The
   * write is retried on transient errors. Call `flushNow()` on the result at shutdown.
   */
  groupCommit<I, R>(write: (items: I[]) => Promise<(R | Error)[]>, options: GroupCommitOptions = {}): Batcher<I, R> {
    return new Batcher<I, R>((items) => this.retryTransient(() => write(items)), options.maxBatch ?? 500);
  }

  /** One page in `_id` order and the count of the whole filter. */
  findPage<T>(model: Model<T>, filter: QueryFilter<T>, window: PageWindow): Promise<FoundPage<T>> {
    return findPage(model, filter, window);
  }

  /** A page of the documents whose `field` holds any of `values` (MongoDB: `$in`, index-served). */
  findPageAnyOf<T>(model: Model<T>, filter: QueryFilter<T>, field: string, values: readonly string[], window: PageWindow): Promise<FoundPage<T>> {
    return findPage(model, anyOfFilter(filter, field, values), window);
  }

  /** The documents whose `field` holds any of `values` (MongoDB: `$in`, index-served), in no set order. */
  findAnyOf<T>(model: Model<T>, filter: QueryFilter<T>, field: string, values: readonly string[], projection?: Record<string, 0 | 1>): Promise<T[]> {
    if (values.length === 0) return Promise.resolve([]);
    return model.find(anyOfFilter(filter, field, values), projection).lean<T[]>();
  }

  /** Releases what the adapter holds besides the mongoose connection (at shutdown). */
  close(): Promise<void> {
    return Promise.resolve();
  }

  isUniqueViolation(err: unknown): boolean {
    return isUniqueViolation(err);
  }

  /** An insert that a unique index may refuse: the violation becomes the caller's error. */
  async uniqueInsert<T>(insert: () => Promise<T>, conflict: (err: unknown) => Error | Promise<Error>): Promise<T> {
    try {
      return await this.retryTransient(insert);
    } catch (err) {
      if (this.isUniqueViolation(err)) throw await conflict(err);
      throw err;
    }
  }

  /** insertMany that goes on past duplicates and says which positions were already stored. */
  insertManyReportingDuplicates(collection: mongo.Collection<mongo.Document>, docs: mongo.Document[]): Promise<Set<number>> {
    return insertManyReportingDuplicates(collection, docs, (w) => this.retryTransient(w));
  }
}

export { UniqueConflict };
export type { FoundPage, PageWindow };
