/**
 * Group commit: callers add one item each and get their own result; items that arrive while a
 * write is in flight are written together by the next one (at most `maxBatch` per write). One
 * round trip then carries a whole burst: FerretDB (and MongoDB) insert a batch of a few hundred
 * documents in about the time of a few single inserts.
 *
 * `write` returns one result per item, in order; an Error in a slot fails that item only. A
 * thrown error fails the whole batch.
 */
export class Batcher<I, R> {
  private queue: { item: I; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private flushing = false;

  constructor(
    private readonly write: (items: I[]) => Promise<(R | Error)[]>,
    private readonly maxBatch = 500,
  ) {}

  add(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const results = await this.write(batch.map((b) => b.item));
          batch.forEach((b, i) => {
            const r = results[i];
            if (r instanceof Error) b.reject(r);
            else b.resolve(r);
          });
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
