import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { AppConfig } from '../../config/app-config';
import { RedisClient } from '../../redis/redis.module';
import { KeyedMutex } from '../../store/keyed-mutex';

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** Renewed within this fraction of the TTL, or given up: another process may take it at the TTL. */
const SAFE_FRACTION = 0.8;

export type LeaseLostHandler = (channelId: string) => void;

/**
 * Exactly one server process runs a channel's browser: two browsers on one WhatsApp account
 * make WhatsApp report CONFLICT and the link can be lost. The owner holds a Redis key
 * (`SET NX PX`), renews it every third of its TTL with a compare-and-renew script, and
 * releases it on stop. A process that fails to renew in time (the key changed hands, or Redis
 * was unreachable until the TTL ran out) calls the lost-handler, which closes the browser at once.
 */
@Injectable()
export class SessionLease implements OnApplicationShutdown {
  /** This process, as written into lease keys: host, pid and a random suffix. */
  readonly ownerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly logger = new Logger(SessionLease.name);
  private readonly held = new Map<string, { renewedAt: number }>();
  /** Lease operations of one channel take turns (an acquire never interleaves with a release). */
  private readonly turns = new KeyedMutex();
  private timer?: NodeJS.Timeout;
  private deadlineTimer?: NodeJS.Timeout;
  private onLost: LeaseLostHandler = () => undefined;
  private onHeldChanged: () => void = () => undefined;
  private readonly ttlMs: number;
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisClient,
    config: AppConfig,
  ) {
    this.ttlMs = config.whatsapp.leaseTtlMs;
    this.prefix = `${config.storage.queuePrefix}:wa:lease:`;
  }

  setLostHandler(handler: LeaseLostHandler): void {
    this.onLost = handler;
  }

  /** Called after the set of held leases changed (cluster membership publishes the new load). */
  setHeldChangedHandler(handler: () => void): void {
    this.onHeldChanged = handler;
  }

  /** How many sessions this process holds the lease of. */
  heldCount(): number {
    return this.held.size;
  }

  private key(channelId: string): string {
    return this.prefix + channelId;
  }

  /** True when this process now holds (or already held) the channel's lease. */
  acquire(channelId: string): Promise<boolean> {
    return this.turns.run(channelId, () => this.doAcquire(channelId));
  }

  private async doAcquire(channelId: string): Promise<boolean> {
    const key = this.key(channelId);
    let ok = false;
    // Twice: our own release may delete the key between a failed SET NX and the renewal.
    for (let attempt = 0; attempt < 2 && !ok; attempt++) {
      ok = (await this.redis.redis.set(key, this.ownerId, 'PX', this.ttlMs, 'NX')) === 'OK';
      if (!ok) ok = (await this.redis.redis.eval(RENEW, 1, key, this.ownerId, String(this.ttlMs))) === 1;
    }
    if (ok) {
      const added = !this.held.has(channelId);
      this.held.set(channelId, { renewedAt: Date.now() });
      this.ensureTimer();
      if (added) this.onHeldChanged();
    }
    return ok;
  }

  /**
   * True while this process holds the lease and renewed it recently enough that nobody else can have
   * it. Checked by the clock, not only by the map: after a freeze (GC pause, SIGSTOP, a stalled VM) the
   * map still lists the lease until the deadline timer runs, but an action must not go out meanwhile.
   */
  holds(channelId: string): boolean {
    const entry = this.held.get(channelId);
    return !!entry && Date.now() - entry.renewedAt < this.ttlMs * SAFE_FRACTION;
  }

  /** The process holding the channel's lease, if any. */
  async ownerOf(channelId: string): Promise<string | undefined> {
    return (await this.redis.redis.get(this.key(channelId))) ?? undefined;
  }

  /** How long the channel's lease has left (0 when nobody holds it). */
  async remainingMs(channelId: string): Promise<number> {
    return Math.max(0, await this.redis.redis.pttl(this.key(channelId)));
  }

  release(channelId: string): Promise<void> {
    return this.turns.run(channelId, () => this.doRelease(channelId));
  }

  private async doRelease(channelId: string): Promise<void> {
    if (!this.held.delete(channelId)) return;
    this.onHeldChanged();
    try {
      await this.redis.redis.eval(RELEASE, 1, this.key(channelId), this.ownerId);
    } catch (err) {
      // It expires on its own within one TTL.
      this.logger.warn({ err, channelId }, 'Could not release session lease');
    }
    if (this.held.size === 0) this.stopTimer();
  }

  /** Renews every held lease once; exposed for tests. */
  async renewAll(): Promise<void> {
    await Promise.all([...this.held.keys()].map((channelId) => this.turns.run(channelId, () => this.renew(channelId))));
    if (this.held.size === 0) this.stopTimer();
  }

  private async renew(channelId: string): Promise<void> {
    const entry = this.held.get(channelId);
    if (!entry) return;
    let result: 'renewed' | 'lost' | 'error';
    try {
      const r = await this.redis.redis.eval(RENEW, 1, this.key(channelId), this.ownerId, String(this.ttlMs));
      result = r === 1 ? 'renewed' : 'lost';
    } catch (err) {
      this.logger.warn({ err, channelId }, 'Could not renew session lease');
      result = 'error';
    }
    if (result === 'renewed') {
      entry.renewedAt = Date.now();
      return;
    }
    // An unreachable Redis is only a loss once another process could have taken the key.
    if (result === 'error' && Date.now() - entry.renewedAt < this.ttlMs * SAFE_FRACTION) return;
    this.lose(channelId, entry, result);
  }

  private lose(channelId: string, entry: { renewedAt: number }, why: string): void {
    if (this.held.get(channelId) !== entry) return;
    this.held.delete(channelId);
    this.onHeldChanged();
    this.logger.error({ channelId, why, sinceRenewalMs: Date.now() - entry.renewedAt }, 'Lost the session lease: closing the browser');
    this.onLost(channelId);
  }

  /**
   * The safety rule by the clock: a lease not renewed within SAFE_FRACTION of its TTL is given up,
   * whether or not the renewal ever got an answer (a stopped Redis keeps the socket open and a
   * renewal can hang; its turn on the channel must not hold the rule up).
   */
  private checkDeadlines(): void {
    const now = Date.now();
    for (const [channelId, entry] of this.held)
      if (now - entry.renewedAt >= this.ttlMs * SAFE_FRACTION) this.lose(channelId, entry, 'not renewed in time');
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.renewAll(), Math.max(500, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
    this.deadlineTimer = setInterval(() => this.checkDeadlines(), Math.max(100, Math.floor(this.ttlMs / 20)));
    this.deadlineTimer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.deadlineTimer) clearInterval(this.deadlineTimer);
    this.timer = undefined;
    this.deadlineTimer = undefined;
  }

  onApplicationShutdown(): void {
    this.stopTimer();
  }
}
