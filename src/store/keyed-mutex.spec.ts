import { KeyedMutex, LockTimeoutError } from './keyed-mutex';

describe('KeyedMutex', () => {
  it('runs tasks of one key one at a time, in order, and other keys in parallel', async () => {
    const lock = new KeyedMutex();
    const log: string[] = [];
    const task = (name: string, ms: number) => () =>
      new Promise<string>((resolve) => {
        log.push(`start ${name}`);
        setTimeout(() => {
          log.push(`end ${name}`);
          resolve(name);
        }, ms);
      });
    const results = await Promise.all([lock.run('a', task('a1', 30)), lock.run('a', task('a2', 1)), lock.run('b', task('b1', 5))]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
    await new Promise((r) => setImmediate(r));
    expect(lock.size).toBe(0);
  });

  it('keeps going after a task fails', async () => {
    const lock = new KeyedMutex();
    await expect(lock.run('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.run('k', () => Promise.resolve(2))).resolves.toBe(2);
  });

  it('gives up waiting after the bound, with a typed error, and the holder still finishes', async () => {
    const lock = new KeyedMutex(20);
    let release!: () => void;
    const held = lock.run('k', () => new Promise<string>((r) => (release = () => r('held'))));
    await expect(lock.run('k', async () => 'never')).rejects.toBeInstanceOf(LockTimeoutError);
    release();
    await expect(held).resolves.toBe('held');
    expect(lock.size).toBe(0);
  });
});
