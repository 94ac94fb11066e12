import { Batcher } from './batcher';

describe('Batcher', () => {
  it('writes items that arrive during a write together, each caller getting its own result', async () => {
    const writes: number[][] = [];
    const b = new Batcher<number, number>(async (items) => {
      writes.push(items);
      await new Promise((r) => setTimeout(r, 10));
      return items.map((i) => i * 10);
    });
    const first = b.add(1);
    const rest = [b.add(2), b.add(3), b.add(4)];
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(writes).toEqual([[1], [2, 3, 4]]);
  });

  it('caps a write at maxBatch items', async () => {
    const sizes: number[] = [];
    const b = new Batcher<number, number>(async (items) => {
      sizes.push(items.length);
      return items;
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((i) => b.add(i)));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2);
    expect(sizes.reduce((a, n) => a + n, 0)).toBe(5);
  });

  it('fails only the items whose slot is an Error, or the whole batch when the write throws', async () => {
    let fail = false;
    const b = new Batcher<number, number>(async (items) => {
      if (fail) throw new Error('down');
      return items.map((i) => (i === 2 ? new Error('dup') : i));
    });
    const results = await Promise.allSettled([b.add(1), b.add(2), b.add(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    fail = true;
    await expect(b.add(4)).rejects.toThrow('down');
    fail = false;
    await expect(b.add(5)).resolves.toBe(5);
  });
});

describe('Batcher with linger', () => {
  it('waits lingerMs after the first item so a slow trickle is written in one batch', async () => {
    const writes: number[][] = [];
    const b = new Batcher<number, number>(
      async (items) => {
        writes.push(items);
        return items;
      },
      500,
      40,
    );
    // Fake timers: the trickle's spacing must not depend on how busy the machine is.
    jest.useFakeTimers();
    try {
      const all = [b.add(1)];
      await jest.advanceTimersByTimeAsync(10);
      all.push(b.add(2));
      await jest.advanceTimersByTimeAsync(10);
      all.push(b.add(3));
      await jest.advanceTimersByTimeAsync(19);
      expect(writes).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      expect(await Promise.all(all)).toEqual([1, 2, 3]);
      expect(writes).toEqual([[1, 2, 3]]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('writes at once when maxBatch items are in, and on flushNow', async () => {
    const writes: number[][] = [];
    const b = new Batcher<number, number>(
      async (items) => {
        writes.push(items);
        return items;
      },
      2,
      60_000,
    );
    await Promise.all([b.add(1), b.add(2)]);
    expect(writes).toEqual([[1, 2]]);
    const third = b.add(3);
    await b.flushNow();
    await expect(third).resolves.toBe(3);
    expect(writes).toEqual([[1, 2], [3]]);
  });
});

describe('Batcher with a linger that follows the write time', () => {
  it('waits lingerFactor times the last write before the next one', async () => {
    const writtenAt: number[] = [];
    const b = new Batcher<number, number>(
      async (items) => {
        writtenAt.push(performance.now());
        await new Promise((r) => setTimeout(r, 30));
        return items;
      },
      500,
      1,
      3,
    );
    await b.add(1);
    const second = performance.now();
    await b.add(2);
    // The first write took ~30 ms, so the second lingered ~90 ms (not the 1 ms floor).
    expect(writtenAt[1] - second).toBeGreaterThanOrEqual(75);
  });
});

describe('Batcher with a write that never answers', () => {
  it('fails that batch after timeoutMs and goes on with the next items', async () => {
    let calls = 0;
    const b = new Batcher<number, number>(
      async (items) => {
        if (++calls === 1) return new Promise<number[]>(() => undefined);
        return items;
      },
      500,
      0,
      0,
      5_000,
      40,
    );
    const stuck = b.add(1);
    const next = b.add(2);
    await expect(stuck).rejects.toThrow('did not answer within 40 ms');
    await expect(next).resolves.toBe(2);
  });
});
