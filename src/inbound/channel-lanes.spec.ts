import { ChannelLanes } from './channel-lanes';

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('ChannelLanes', () => {
  const task = (log: string[], name: string, ms: number) => async () => {
    log.push(`${name}+`);
    await tick(ms);
    log.push(`${name}-`);
  };

  it('runs a chat serially in push order, and other chats and channels side by side', async () => {
    const lanes = new ChannelLanes();
    const log: string[] = [];
    const all = [
      lanes.push('a', 'x', task(log, 'ax1', 30)),
      lanes.push('a', 'x', task(log, 'ax2', 1)),
      lanes.push('a', 'y', task(log, 'ay1', 1)),
      lanes.push('b', 'x', task(log, 'bx1', 1)),
    ];
    expect(lanes.pending('a')).toBe(3);
    expect(lanes.pending('b')).toBe(1);
    await Promise.all(all);
    expect(log.indexOf('ax1-')).toBeLessThan(log.indexOf('ax2+'));
    expect(log.indexOf('ay1-')).toBeLessThan(log.indexOf('ax1-'));
    expect(log.indexOf('bx1-')).toBeLessThan(log.indexOf('ax1-'));
    expect(lanes.pending('a')).toBe(0);
  });

  it('runs at most maxRunning tasks at once across lanes', async () => {
    const lanes = new ChannelLanes(2);
    let running = 0;
    let peak = 0;
    const all = Array.from({ length: 8 }, (_, i) =>
      lanes.push('a', `chat${i}`, async () => {
        running++;
        peak = Math.max(peak, running);
        await tick(5);
        running--;
      }),
    );
    await Promise.all(all);
    expect(peak).toBe(2);
  });

  it('keeps going after a failed task', async () => {
    const lanes = new ChannelLanes();
    const failed = lanes.push('a', 'x', async () => {
      throw new Error('boom');
    });
    let ran = false;
    const next = lanes.push('a', 'x', async () => void (ran = true));
    await expect(failed).rejects.toThrow('boom');
    await next;
    expect(ran).toBe(true);
  });

  it('lets a producer wait until a channel has few enough tasks', async () => {
    const lanes = new ChannelLanes();
    for (let i = 0; i < 5; i++) void lanes.push('a', `chat${i % 2}`, async () => void (await tick(5)));
    await lanes.below('a', 2);
    expect(lanes.pending('a')).toBeLessThanOrEqual(2);
    await lanes.drained();
    expect(lanes.pending('a')).toBe(0);
  });
});
