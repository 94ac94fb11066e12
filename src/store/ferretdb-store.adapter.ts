import { StoreAdapter, StoreIdentity, UniqueConflict, UniqueUpdate } from './store-adapter';
import { StoreLock } from './store-lock';
import { retryWhileBusy } from './transient-retry';

/**
 * FerretDB 1.24 (SQLite or PostgreSQL backend). Its updates are read-then-write in Go without
 * isolation and it does not report unique violations from updates, so: state-dependent writes
 * take a lock per document (`lock`: held in Redis across processes), updates of unique fields
 * check for a holder first (under the unique value's lock), and SQLite's busy answers are retried.
 */
export class FerretDbStoreAdapter extends StoreAdapter {
  constructor(
    readonly identity: StoreIdentity,
    private readonly lock: StoreLock,
  ) {
    super();
  }

  serialize<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.lock.run(key, () => this.retryTransient(fn));
  }

  retryTransient<T>(fn: () => Promise<T>): Promise<T> {
    return retryWhileBusy(fn);
  }

  uniqueUpdate<T>(update: UniqueUpdate<T>): Promise<T> {
    return this.lock.run(`unique:${update.key}`, async () => {
      if (await update.taken()) throw new UniqueConflict(update.key);
      return this.retryTransient(update.write);
    });
  }
}
