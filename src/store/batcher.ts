/**
 * Group commit: callers add one item each and get their own result; items that arrive while a
 * write is in flight are written together by the next one (at most `maxBatch` per write). One
 * round trip then carries a whole burst: FerretDB (and MongoDB) insert a batch of a few hundred
 * documents in about the time of a few single inserts.
 *
 * `write` returns one result per item, in order; an Error in a slot fails that item only. A
 * thrown error fails the whole batch.
 *
 * `lingerMs` > 0 makes a write wait that long after its first item (or until `maxBatch` items
 * are in): for writes nobody waits on whose cost does not grow with the batch (FerretDB scans the
 * whole collection once per update or delete, whatever the number of ids).
 */
export class Batcher<I, R> {
  private queue: { item: I; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private flushing = false;

  private draining = false;
  private lingering?: { timer: NodeJS.Timeout; wake: () => void };

  private lastWriteMs = 0;

  /**
   * `lingerFactor` > 0 stretches the linger to that many times the last write's duration (at
   * most `maxLingerMs`): a write whose cost grows with the collection, not with the batch, then
   * keeps the database busy at most 1/(1+factor) of the time however large the collection.
   */
  constructor(
    private readonly write: (items: I[]) => Promise<(R | Error)[]>,
    private readonly maxBatch = 500,
    private readonly lingerMs = 0,
    private readonly lingerFactor = 0,
    private readonly maxLingerMs = 5_000,
    /**
     * A write that has not answered in this long fails its batch, so one lost database reply
     * cannot hold up every later item (all of them queue behind the write in flight). The write
     * may still land: callers' writes are idempotent (unique ids, duplicates reported).
     */
    private readonly timeoutMs = 60_000,
  ) {}

  add(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.lingering?.wake();
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        if (this.lingerMs > 0 && !this.draining && this.queue.length < this.maxBatch) await this.linger();
        const batch = this.queue.splice(0, this.maxBatch);
        const started = performance.now();
        try {
          const results = await this.withTimeout(this.write(batch.map((b) => b.item)));
          this.lastWriteMs = performance.now() - started;
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

  private async withTimeout<T>(write: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Batched write did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([write, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Writes everything waiting now, without lingering (shutdown). */
  async flushNow(): Promise<void> {
    this.draining = true;
    try {
      this.lingering?.wake();
      while (this.flushing) await new Promise((r) => setImmediate(r));
    } finally {
      this.draining = false;
    }
  }

  private linger(): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.lingering = undefined;
        resolve();
      };
      const timer = setTimeout(wake, Math.min(this.maxLingerMs, Math.max(this.lingerMs, this.lingerFactor * this.lastWriteMs)));
      this.lingering = { timer, wake };
    });
  }
}
