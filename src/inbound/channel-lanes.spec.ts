import { ChannelLanes } from './channel-lanes';

/** A task the test finishes by hand, recording when it starts and ends. */
function gate(log: string[], name: string) {
  let finish!: () => void;
  let fail!: (err: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const task = async () => {
    log.push(`${name}+`);
    try {
      await done;
    } finally {
      log.push(`${name}-`);
    }
  };
  return { task, finish, fail };
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('ChannelLanes', () => {
  it('runs a chat serially in push order, and other chats and channels side by side', async () => {
    const lanes = new ChannelLanes();
    const log: string[] = [];
    const [ax1, ax2, ay1, bx1] = ['ax1', 'ax2', 'ay1', 'bx1'].map((n) => gate(log, n));
    const all = [lanes.push('a', 'x', ax1.task), lanes.push('a', 'x', ax2.task), lanes.push('a', 'y', ay1.task), lanes.push('b', 'x', bx1.task)];
    expect(lanes.pending('a')).toBe(3);
    expect(lanes.pending('b')).toBe(1);
    await flush();
    expect(log).toEqual(['ax1+', 'ay1+', 'bx1+']); // ax2 waits for ax1 only
    ay1.finish();
    bx1.finish();
    await flush();
    expect(log).not.toContain('ax2+');
    ax1.finish();
    await flush();
    expect(log.slice(-2)).toEqual(['ax1-', 'ax2+']);
    ax2.finish();
    await Promise.all(all);
    expect(lanes.pending('a')).toBe(0);
    expect(lanes.pending('b')).toBe(0);
  });

  it('runs at most maxRunning tasks at once across lanes, the waiting ones in push order', async () => {
    const lanes = new ChannelLanes(2);
    const log: string[] = [];
    const gates = Array.from({ length: 5 }, (_, i) => gate(log, `c${i}`));
    const all = gates.map((g, i) => lanes.push('a', `chat${i}`, g.task));
    await flush();
    expect(log).toEqual(['c0+', 'c1+']);
    gates[1].finish();
    await flush();
    expect(log).toEqual(['c0+', 'c1+', 'c1-', 'c2+']);
    gates[0].finish();
    await flush();
    expect(log.slice(-2)).toEqual(['c0-', 'c3+']);
    for (const g of gates) g.finish();
    await Promise.all(all);
    expect(log.filter((l) => l.endsWith('+'))).toEqual(['c0+', 'c1+', 'c2+', 'c3+', 'c4+']);
  });

  it('keeps going after a failed task, which rejects its own push only', async () => {
    const lanes = new ChannelLanes();
    const failed = lanes.push('a', 'x', async () => {
      throw new Error('boom');
    });
    let ran = false;
    const next = lanes.push('a', 'x', async () => void (ran = true));
    await expect(failed).rejects.toThrow('boom');
    await next;
    expect(ran).toBe(true);
    expect(lanes.pending('a')).toBe(0);
  });

  it('lets a producer wait until a channel has few enough tasks, whatever the other channels do', async () => {
    const lanes = new ChannelLanes();
    const log: string[] = [];
    const gates = Array.from({ length: 5 }, (_, i) => gate(log, `a${i}`));
    gates.forEach((g, i) => void lanes.push('a', `chat${i % 2}`, g.task));
    const other = gate(log, 'b');
    void lanes.push('b', 'x', other.task);
    let below = false;
    void lanes.below('a', 2).then(() => (below = true));
    other.finish();
    gates[0].finish();
    gates[1].finish();
    await flush();
    expect(lanes.pending('a')).toBe(3);
    expect(below).toBe(false);
    gates[2].finish();
    await flush();
    expect(lanes.pending('a')).toBe(2);
    expect(below).toBe(true);
  });

  it('drained resolves once every lane of every channel is empty', async () => {
    const lanes = new ChannelLanes();
    const log: string[] = [];
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    void lanes.push('a', 'x', a.task);
    void lanes.push('b', 'x', b.task).catch(() => undefined);
    let drained = false;
    void lanes.drained().then(() => (drained = true));
    a.finish();
    await flush();
    expect(drained).toBe(false);
    b.fail(new Error('failed tasks count as done'));
    await flush();
    expect(drained).toBe(true);
    await expect(lanes.drained()).resolves.toBeUndefined();
  });
});
