import { Mutex, withTimeout } from 'async-mutex';

/** Raised when a key's lock could not be had within the bound (the caller answers 503, never hangs). */
export class LockTimeoutError extends Error {
  constructor(readonly key: string, readonly waitedMs: number) {
    super(`Lock on ${key} not acquired within ${waitedMs} ms`);
    this.name = 'LockTimeoutError';
  }
}

/**
 * One async-mutex per key, in this process, created on first use and dropped when nobody holds
 * or waits for it (so the map stays as small as the set of keys in use). FIFO per key; not
 * reentrant: a task must not take its own key again.
 */
export class KeyedMutex {
  private readonly entries = new Map<string, { mutex: Mutex; users: number }>();

  /** `waitMs`: longest wait for a key (LockTimeoutError after it); none when undefined. */
  constructor(private readonly waitMs?: number) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { mutex: new Mutex(), users: 0 };
      this.entries.set(key, entry);
    }
    entry.users++;
    try {
      const mutex = this.waitMs === undefined ? entry.mutex : withTimeout(entry.mutex, this.waitMs, new LockTimeoutError(key, this.waitMs));
      return await mutex.runExclusive(task);
    } finally {
      if (--entry.users === 0) this.entries.delete(key);
    }
  }

  /** Keys held or waited for (tests and metrics). */
  get size(): number {
    return this.entries.size;
  }
}
