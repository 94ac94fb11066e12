/**
 * Runs tasks one at a time per key, in call order, in this process. Used where FerretDB cannot make
 * a write atomic: it applies updates by reading and rewriting whole documents, so conditional
 * updates, `$addToSet` and findOneAndUpdate lose writes under concurrency (MongoDB's do not).
 * Messages: every writer of a channel's messages lives in the process owning that channel's
 * session, so the lock is enough. Channels and contacts: a version check keeps several processes
 * correct on MongoDB; this lock keeps one process correct on FerretDB too. Not reentrant.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.catch(() => undefined).then(task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running (for tests and metrics). */
  get size(): number {
    return this.tails.size;
  }
}
