import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { SweepScheduler } from './sweep-scheduler';

/** A promise the test settles by hand, to hold a tick in flight. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => (resolve = res));
  return { promise, resolve };
}

describe('SweepScheduler', () => {
  let registry: SchedulerRegistry;
  let sut: SweepScheduler;
  let warned: jest.SpyInstance;

  beforeEach(() => {
    jest.useFakeTimers();
    registry = new SchedulerRegistry();
    sut = new SweepScheduler(registry);
    warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    await sut.stopAll();
    jest.useRealTimers();
    warned.mockRestore();
  });

  it('registers the interval in the scheduler registry and runs the task every period', async () => {
    let runs = 0;
    sut.every('count', 1_000, async () => void runs++);
    expect(registry.getIntervals()).toEqual(['count']);
    await jest.advanceTimersByTimeAsync(999);
    expect(runs).toBe(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(runs).toBe(3);
  });

  it('runs a first tick at once with runNow', async () => {
    let runs = 0;
    sut.every('now', 60_000, async () => void runs++, { runNow: true });
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toBe(1);
  });

  it('never overlaps a tick with the previous one: a tick due while one runs is skipped', async () => {
    const slow = deferred();
    let started = 0;
    sut.every('slow', 1_000, async () => {
      started++;
      await slow.promise;
    });
    await jest.advanceTimersByTimeAsync(3_500);
    expect(started).toBe(1);
    slow.resolve();
    await jest.advanceTimersByTimeAsync(500);
    expect(started).toBe(2);
  });

  it('logs a failed tick and keeps the schedule', async () => {
    let runs = 0;
    sut.every('flaky', 1_000, async () => {
      runs++;
      throw new Error('database away');
    });
    await jest.advanceTimersByTimeAsync(2_000);
    expect(runs).toBe(2);
    expect(warned).toHaveBeenCalledWith(expect.objectContaining({ sweep: 'flaky' }), expect.stringContaining('Sweep failed'));
  });

  it('refuses a second sweep of the same name', () => {
    sut.every('once', 1_000, async () => undefined);
    expect(() => sut.every('once', 1_000, async () => undefined)).toThrow('already scheduled');
  });

  it('at shutdown, clears every interval and resolves only after the tick in flight ended; later registrations are ignored', async () => {
    const slow = deferred();
    let runs = 0;
    sut.every('slow', 1_000, async () => {
      runs++;
      await slow.promise;
    });
    await jest.advanceTimersByTimeAsync(1_000);
    let stopped = false;
    const stopping = sut.beforeApplicationShutdown().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(registry.getIntervals()).toEqual([]);
    expect(stopped).toBe(false);
    slow.resolve();
    await stopping;
    await jest.advanceTimersByTimeAsync(5_000);
    expect(runs).toBe(1);

    sut.every('late', 1_000, async () => void runs++);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(runs).toBe(1);
    expect(registry.getIntervals()).toEqual([]);
  });

  it('stops one sweep by name and leaves the others', async () => {
    let a = 0;
    let b = 0;
    sut.every('a', 1_000, async () => void a++);
    sut.every('b', 1_000, async () => void b++);
    await sut.stop('a');
    await jest.advanceTimersByTimeAsync(1_000);
    expect([a, b]).toEqual([0, 1]);
    expect(sut.isScheduled('a')).toBe(false);
  });
});
