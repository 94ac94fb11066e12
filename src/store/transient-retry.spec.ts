import { isBusy, retryWhileBusy } from './transient-retry';

const busy = () => Object.assign(new Error('[msg_insert.go:168] database is locked (5) (SQLITE_BUSY)'), { code: 1 });

describe('retryWhileBusy', () => {
  it('recognises FerretDB/SQLite busy errors only', () => {
    expect(isBusy(busy())).toBe(true);
    expect(isBusy(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }))).toBe(false);
    expect(isBusy(undefined)).toBe(false);
  });

  it('runs the write again while busy, and returns its result', async () => {
    let calls = 0;
    const result = await retryWhileBusy(async () => {
      if (++calls < 3) throw busy();
      return 'written';
    });
    expect(result).toBe('written');
    expect(calls).toBe(3);
  });

  it('does not retry other errors, and gives up after the last attempt', async () => {
    let calls = 0;
    await expect(
      retryWhileBusy(async () => {
        calls++;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      retryWhileBusy(async () => {
        calls++;
        throw busy();
      }, 2),
    ).rejects.toThrow('SQLITE_BUSY');
    expect(calls).toBe(2);
  });
});
