/**
 * One serial lane per channel: tasks of a channel run one at a time, in the order they were
 * pushed; channels run side by side. `pending(channel)` counts queued and running tasks.
 */
export class ChannelLanes {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly counts = new Map<string, number>();
  private readonly idle = new Map<string, (() => void)[]>();

  push(channel: string, task: () => Promise<void>): Promise<void> {
    this.counts.set(channel, (this.counts.get(channel) ?? 0) + 1);
    const run = (this.tails.get(channel) ?? Promise.resolve()).then(task).finally(() => this.done(channel));
    const tail = run.catch(() => undefined);
    this.tails.set(channel, tail);
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

  private done(channel: string): void {
    const n = (this.counts.get(channel) ?? 1) - 1;
    if (n <= 0) {
      this.counts.delete(channel);
      this.tails.delete(channel);
    } else {
      this.counts.set(channel, n);
    }
    const waiting = this.idle.get(channel);
    if (waiting) {
      this.idle.delete(channel);
      for (const resolve of waiting) resolve();
    }
  }
}
