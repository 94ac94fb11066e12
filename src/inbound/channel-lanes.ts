/**
 * Serial lanes for inbound events: tasks of one chat of a channel run one at a time, in the
 * order they were pushed (a chat's events must be applied in order: its `seq`, a reply after
 * the message it quotes, a revoke after the message); different chats run side by side, at
 * most `maxRunning` tasks at once so a burst over thousands of chats cannot flood the database.
 * A channel with one lane would cap a busy number at one database round trip chain at a time.
 * `pending(channel)` counts the channel's queued and running tasks (backpressure per session).
 */
export class ChannelLanes {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly laneCounts = new Map<string, number>();
  private readonly counts = new Map<string, number>();
  private readonly idle = new Map<string, (() => void)[]>();
  private running = 0;
  private readonly waitingToRun: (() => void)[] = [];

  constructor(private readonly maxRunning = 64) {}

  push(channel: string, chat: string, task: () => Promise<void>): Promise<void> {
    const lane = `${channel}\u0000${chat}`;
    this.counts.set(channel, (this.counts.get(channel) ?? 0) + 1);
    this.laneCounts.set(lane, (this.laneCounts.get(lane) ?? 0) + 1);
    const run = (this.tails.get(lane) ?? Promise.resolve()).then(() => this.limited(task)).finally(() => this.done(channel, lane));
    const tail = run.catch(() => undefined);
    this.tails.set(lane, tail);
    return run;
  }

  pending(channel: string): number {
    return this.counts.get(channel) ?? 0;
  }

  /** Resolves once the channel has at most `max` tasks left. */
  async below(channel: string, max: number): Promise<void> {
    while (this.pending(channel) > max) {
      await new Promise<void>((resolve) => this.idle.set(channel, [...(this.idle.get(channel) ?? []), resolve]));
    }
  }

  /** Resolves when every lane is empty (shutdown, tests). */
  async drained(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }

  private async limited(task: () => Promise<void>): Promise<void> {
    while (this.running >= this.maxRunning) await new Promise<void>((resolve) => this.waitingToRun.push(resolve));
    this.running++;
    try {
      await task();
    } finally {
      this.running--;
      this.waitingToRun.shift()?.();
    }
  }

  private done(channel: string, lane: string): void {
    const inLane = (this.laneCounts.get(lane) ?? 1) - 1;
    if (inLane <= 0) {
      this.laneCounts.delete(lane);
      this.tails.delete(lane);
    } else {
      this.laneCounts.set(lane, inLane);
    }
    const n = (this.counts.get(channel) ?? 1) - 1;
    if (n <= 0) this.counts.delete(channel);
    else this.counts.set(channel, n);
    const waiting = this.idle.get(channel);
    if (waiting) {
      this.idle.delete(channel);
      for (const resolve of waiting) resolve();
    }
  }
}
