/**
 * Serialises async work per key inside this process. FerretDB 1.24 applies a conditional update
 * as read-then-write without isolation, so concurrent `updateOne({ _id, version })` can all
 * "match" (measured: most rounds of 4 racing writers lost updates). The version check keeps
 * several processes correct on MongoDB; this lock keeps one process correct on FerretDB too.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
