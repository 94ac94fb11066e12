import { ExecutionError, Redlock } from '@sesamecare-oss/redlock';
import type { Redis } from 'ioredis';
import { KeyedMutex, LockTimeoutError } from './keyed-mutex';
import { StoreLock } from './store-lock';

export interface RedisStoreLockOptions {
  /** Namespaces the lock keys (the queue prefix: servers sharing a store share it). */
  prefix: string;
  /** Longest wait for a key, in this process and again in Redis, before LockTimeoutError. */
  waitMs?: number;
  /** Lock lifetime in Redis: a crashed holder blocks its key at most this long; extended while held. */
  ttlMs?: number;
}

const RETRY_DELAY_MS = 10;
const RETRY_JITTER_MS = 10;

/**
 * A lock per key that holds across processes: an in-process mutex first (writers of one process
 * queue in memory, so only one of them at a time polls Redis), then a Redis lock through redlock
 * (SET NX PX with a random token, released by a Lua check of the token, extended automatically
 * while the task runs).
 */
export class RedisStoreLock extends StoreLock {
  private readonly local: KeyedMutex;
  private readonly redlock: Redlock;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly waitMs: number;

  constructor(redis: Redis, options: RedisStoreLockOptions) {
    super();
    this.prefix = `${options.prefix}:store-lock:`;
    this.ttlMs = options.ttlMs ?? 10_000;
    this.waitMs = options.waitMs ?? 30_000;
    this.local = new KeyedMutex(this.waitMs);
    this.redlock = new Redlock([redis], {
      driftFactor: 0.01,
      retryDelay: RETRY_DELAY_MS,
      retryJitter: RETRY_JITTER_MS,
      retryCount: Math.ceil(this.waitMs / (RETRY_DELAY_MS + RETRY_JITTER_MS / 2)),
      automaticExtensionThreshold: Math.min(1_000, Math.floor(this.ttlMs / 2)),
    });
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.local.run(key, async () => {
      let started = false;
      let done: { value: T } | undefined;
      try {
        await this.redlock.using([this.prefix + key], this.ttlMs, async () => {
          started = true;
          done = { value: await task() };
        });
      } catch (err) {
        // The release failed after the write (the lock then expires by itself): the write stands.
        if (done) return done.value;
        // Acquisition gave up (the key stayed held past the wait bound): a clear, typed error.
        if (!started && err instanceof ExecutionError) throw new LockTimeoutError(key, this.waitMs);
        throw err;
      }
      return done!.value;
    });
  }
}
