import { KeyedMutex } from './keyed-mutex';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('KeyedMutex', () => {
  it('runs work for one key one at a time, in order', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    await Promise.all(
      [1, 2, 3].map((i) =>
        mutex.run('a', async () => {
          log.push(`start ${i}`);
          await tick();
          log.push(`end ${i}`);
        }),
      ),
    );
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('lets different keys run side by side and survives a failing holder', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const failing = mutex.run('a', async () => {
      await tick();
      throw new Error('boom');
    });
    const other = mutex.run('b', async () => void log.push('b'));
    const next = mutex.run('a', async () => void log.push('a after failure'));
    await expect(failing).rejects.toThrow('boom');
    await Promise.all([other, next]);
    expect(log).toEqual(['b', 'a after failure']);
    expect((mutex as unknown as { tails: Map<string, unknown> }).tails.size).toBe(0);
  });
});
