import { FerretDbStoreAdapter } from './ferretdb-store.adapter';
import { LocalStoreLock } from './local-store-lock';
import { MongoDbStoreAdapter } from './mongodb-store.adapter';
import { StoreAdapter } from './store-adapter';
import { StoreLock } from './store-lock';
import { UniqueConflict } from './unique-violation';
import { StoreWriteTimeoutError } from './write-timeout';

const busy = () => Object.assign(new Error('[msg_insert.go:168] database is locked (5) (SQLITE_BUSY)'), { code: 1 });
const tick = () => new Promise((r) => setImmediate(r));

/** Counts the keys a store lock is asked for (a fake under the real StoreLock token). */
class RecordingLock extends StoreLock {
  readonly keys: string[] = [];
  private readonly inner = new LocalStoreLock();
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    this.keys.push(key);
    return this.inner.run(key, task);
  }
}

/** A read-then-write counter, as FerretDB applies `$inc`: loses increments unless serialised. */
function racyCounter() {
  let value = 0;
  return {
    get: () => value,
    inc: async () => {
      const read = value;
      await tick();
      value = read + 1;
    },
  };
}

describe('StoreAdapter', () => {
  describe('on MongoDB', () => {
    const sut: StoreAdapter = new MongoDbStoreAdapter({ kind: 'mongodb', version: '8.0.0' });

    it('adds nothing: serialize runs the write as is, concurrently', async () => {
      const counter = racyCounter();
      await Promise.all(Array.from({ length: 20 }, () => sut.serialize('c:1', counter.inc)));
      // The fake is not atomic; MongoDB's own $inc is, so the adapter must not queue writes there.
      expect(counter.get()).toBeLessThan(20);
      expect(sut.kind).toBe('mongodb');
      expect(sut.backend).toBeUndefined();
    });

    it('does not retry busy errors nor pre-check unique updates', async () => {
      let calls = 0;
      await expect(sut.retryTransient(async () => { calls++; throw busy(); })).rejects.toThrow('SQLITE_BUSY');
      expect(calls).toBe(1);
      const taken = jest.fn(async () => true);
      await expect(sut.uniqueUpdate({ key: 'k', taken, write: async () => 'written' })).resolves.toBe('written');
      expect(taken).not.toHaveBeenCalled();
    });

    it('maps a unique violation on insert to the caller’s error, and passes others through', async () => {
      const dup = Object.assign(new Error('E11000 duplicate key error'), { code: 11000 });
      await expect(sut.uniqueInsert(async () => { throw dup; }, () => new Error('taken'))).rejects.toThrow('taken');
      await expect(sut.uniqueInsert(async () => { throw new Error('boom'); }, () => new Error('taken'))).rejects.toThrow('boom');
      await expect(sut.uniqueInsert(async () => 'ok', () => new Error('taken'))).resolves.toBe('ok');
    });
  });

  describe('on FerretDB', () => {
    let lock: RecordingLock;
    let sut: StoreAdapter;
    beforeEach(() => {
      lock = new RecordingLock();
      sut = new FerretDbStoreAdapter({ kind: 'ferretdb', version: '1.24.2', backend: 'postgresql' }, lock);
    });

    it('serialises writes of one key, so read-then-write updates lose nothing', async () => {
      const counter = racyCounter();
      await Promise.all(Array.from({ length: 20 }, () => sut.serialize('contacts:1', counter.inc)));
      expect(counter.get()).toBe(20);
      expect(lock.keys).toEqual(Array(20).fill('contacts:1'));
      expect(sut.kind).toBe('ferretdb');
      expect(sut.backend).toBe('postgresql');
    });

    it('lets writes of different keys run together', async () => {
      let running = 0;
      let most = 0;
      const write = async () => {
        most = Math.max(most, ++running);
        await tick();
        running--;
      };
      await Promise.all(['a', 'b', 'c'].map((k) => sut.serialize(k, write)));
      expect(most).toBe(3);
    });

    it('retries SQLITE_BUSY, inside serialize too', async () => {
      let calls = 0;
      const result = await sut.serialize('k', async () => {
        if (++calls < 3) throw busy();
        return 'written';
      });
      expect(result).toBe('written');
      expect(calls).toBe(3);
    });

    it('checks for a holder before an update of a unique field, under the value’s lock', async () => {
      const write = jest.fn(async () => 'written');
      await expect(sut.uniqueUpdate({ key: 'tags:acc:vip', taken: async () => true, write })).rejects.toBeInstanceOf(UniqueConflict);
      expect(write).not.toHaveBeenCalled();
      expect(sut.isUniqueViolation(new UniqueConflict('tags:acc:vip'))).toBe(true);
      await expect(sut.uniqueUpdate({ key: 'tags:acc:vip', taken: async () => false, write })).resolves.toBe('written');
      expect(lock.keys).toEqual(['unique:tags:acc:vip', 'unique:tags:acc:vip']);
    });

    it('reports duplicates of insertMany by position', async () => {
      const collection = {
        insertMany: jest.fn(async () => {
          throw Object.assign(new Error('E11000'), { writeErrors: [{ index: 1, code: 11000 }] });
        }),
      };
      const dups = await sut.insertManyReportingDuplicates(collection as never, [{ a: 1 }, { a: 2 }]);
      expect([...dups]).toEqual([1]);
    });
  });
});

describe('FerretDbStoreAdapter write slots', () => {
  it('runs at most its limit of serialised writes at once, of any keys', async () => {
    const sut = new FerretDbStoreAdapter({ kind: 'ferretdb', version: '1.24.2' }, new LocalStoreLock(), 1_000, 4);
    let running = 0;
    let most = 0;
    const write = async () => {
      most = Math.max(most, ++running);
      await tick();
      await tick();
      running--;
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => sut.serialize(`k:${i}`, write)));
    expect(most).toBe(4);
  });
});

describe('FerretDbStoreAdapter hold bound', () => {
  it('fails a serialised write that never answers and frees its key for the next writer', async () => {
    const sut = new FerretDbStoreAdapter({ kind: 'ferretdb', version: '1.24.2' }, new LocalStoreLock(), 30);
    const lost = sut.serialize('contacts:1', () => new Promise<never>(() => undefined));
    const next = sut.serialize('contacts:1', async () => 'next');
    await expect(lost).rejects.toBeInstanceOf(StoreWriteTimeoutError);
    await expect(next).resolves.toBe('next');
  });
});

describe('StoreAdapter.groupCommit', () => {
  /** Adds 1, then 2 a tick later, and reports the batches written (fake timers: no machine-load timing). */
  async function trickle(sut: StoreAdapter, scansCollection: boolean): Promise<number[][]> {
    const writes: number[][] = [];
    const batcher = sut.groupCommit<number, number>(
      async (items) => {
        writes.push(items);
        return items;
      },
      { scansCollection },
    );
    jest.useFakeTimers();
    try {
      const first = batcher.add(1);
      await jest.advanceTimersByTimeAsync(5);
      const second = batcher.add(2);
      await jest.advanceTimersByTimeAsync(1_000);
      await Promise.all([first, second]);
      return writes;
    } finally {
      jest.useRealTimers();
    }
  }
  const mongo = new MongoDbStoreAdapter({ kind: 'mongodb', version: '8.0.0' });
  const ferret = new FerretDbStoreAdapter({ kind: 'ferretdb', version: '1.24.2' }, new LocalStoreLock());

  it('never holds a write on MongoDB, even one marked as scanning', async () => {
    expect(await trickle(mongo, true)).toEqual([[1], [2]]);
  });

  it('holds a scanning write on FerretDB to gather a trickle into one batch, and no other write', async () => {
    expect(await trickle(ferret, true)).toEqual([[1, 2]]);
    expect(await trickle(ferret, false)).toEqual([[1], [2]]);
  });

  it('retries a busy answer on FerretDB and fails only the slot the write marks', async () => {
    let calls = 0;
    const batcher = ferret.groupCommit<number, number>(async (items) => {
      if (++calls === 1) throw busy();
      return items.map((i) => (i === 2 ? new Error('dup') : i));
    });
    const results = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(calls).toBeGreaterThanOrEqual(2);
  });
});
