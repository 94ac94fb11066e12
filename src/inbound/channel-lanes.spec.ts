import { ChannelLanes } from './channel-lanes';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('ChannelLanes', () => {
  it('runs a channel serially in push order and channels side by side', async () => {
    const lanes = new ChannelLanes();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`${name}+`);
      await tick(ms);
      log.push(`${name}-`);
    };
    const all = [lanes.push('a', task('a1', 20)), lanes.push('a', task('a2', 1)), lanes.push('b', task('b1', 1))];
    expect(lanes.pending('a')).toBe(2);
    await Promise.all(all);
    expect(log.indexOf('a1-')).toBeLessThan(log.indexOf('a2+'));
    expect(log.indexOf('b1-')).toBeLessThan(log.indexOf('a1-'));
    expect(lanes.pending('a')).toBe(0);
  });

  it('keeps going after a failed task', async () => {
    const lanes = new ChannelLanes();
    const failed = lanes.push('a', async () => {
      throw new Error('boom');
    });
    let ran = false;
    const next = lanes.push('a', async () => void (ran = true));
    await expect(failed).rejects.toThrow('boom');
    await next;
    expect(ran).toBe(true);
  });

  it('lets a producer wait until a lane shrinks', async () => {
    const lanes = new ChannelLanes();
    for (let i = 0; i < 5; i++) void lanes.push('a', async () => void (await tick(5)));
    await lanes.below('a', 2);
    expect(lanes.pending('a')).toBeLessThanOrEqual(2);
    await lanes.drained();
    expect(lanes.pending('a')).toBe(0);
  });
});
