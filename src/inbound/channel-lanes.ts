import { Semaphore } from 'async-mutex';
import { KeyedMutex } from '../store/keyed-mutex';

/**
 * Serial lanes for inbound events: tasks of one chat of a channel run one at a time, in the
 * order they were pushed (a chat's events must be applied in order: its `seq`, a reply after
 * the message it quotes, a revoke after the message); different chats run side by side, at
 * most `maxRunning` tasks at once so a burst over thousands of chats cannot flood the database.
 * A channel with one lane would cap a busy number at one database round trip chain at a time.
 * `pending(channel)` counts the channel's queued and running tasks (backpressure per session).
 *
 * The order and the cap are async-mutex's: a FIFO mutex per chat (KeyedMutex, which drops a
 * chat's mutex once nobody holds or waits for it) and a FIFO semaphore of `maxRunning` slots,
 * taken once the task's turn in its chat has come. Only the per-channel count is kept here.
 */
export class ChannelLanes {
  private readonly chats = new KeyedMutex();
  private readonly slots: Semaphore;
  private readonly counts = new Map<string, number>();
  /** Producers waiting for a count to drop (`below`, `drained`): woken on every settled task to check again. */
  private readonly wakeups = new Set<() => void>();

  constructor(maxRunning = 64) {
    this.slots = new Semaphore(maxRunning);
  }

  push(channel: string, chat: string, task: () => Promise<void>): Promise<void> {
    this.count(channel, 1);
    return this.chats.run(`${channel}\u0000${chat}`, () => this.slots.runExclusive(task)).finally(() => this.count(channel, -1));
  }

  pending(channel: string): number {
    return this.counts.get(channel) ?? 0;
  }

  /** Resolves once the channel has at most `max` tasks left. */
  async below(channel: string, max: number): Promise<void> {
    while (this.pending(channel) > max) await this.nextSettled();
  }

  /** Resolves when every lane is empty (shutdown, tests). */
  async drained(): Promise<void> {
    while (this.counts.size > 0) await this.nextSettled();
  }

  private nextSettled(): Promise<void> {
    return new Promise((resolve) => this.wakeups.add(resolve));
  }

  private count(channel: string, by: number): void {
    const n = this.pending(channel) + by;
    if (n <= 0) this.counts.delete(channel);
    else this.counts.set(channel, n);
    if (by > 0) return;
    const waiting = [...this.wakeups];
    this.wakeups.clear();
    for (const wake of waiting) wake();
  }
}
