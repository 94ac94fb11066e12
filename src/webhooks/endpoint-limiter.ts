import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { RedisClient } from '../redis/redis.module';

/** A held slot of an endpoint; release it exactly once. */
export interface EndpointLease {
  release(): Promise<void>;
}

/**
 * Acquire: drop expired holders, then take a slot if fewer than `limit` are held. Holders are
 * scored by their expiry in Redis time, so a process killed mid-request frees its slot after
 * the lease TTL without anyone cleaning up.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0
`;

type LimiterRedis = RedisClient['redis'] & {
  whAcquire(key: string, limit: number, ttlMs: number, member: string): Promise<number>;
};

/**
 * Per-endpoint concurrency across every server process: a counting semaphore in Redis (a
 * sorted set of leases per endpoint). A worker that finds its endpoint full gives its slot
 * back to the queue instead of waiting, so one slow platform never holds more than `limit`
 * of the worker's concurrency and cannot starve the others.
 *
 * A local count short-circuits the common "this process alone already fills the endpoint"
 * case without a Redis round trip.
 */
@Injectable()
export class EndpointLimiter {
  private readonly redis: LimiterRedis;
  private readonly local = new Map<string, number>();
  readonly limit: number;
  private readonly leaseTtlMs: number;
  private readonly prefix: string;

  constructor(client: RedisClient, config: AppConfig) {
    this.redis = client.redis as LimiterRedis;
    if (typeof this.redis.whAcquire !== 'function') this.redis.defineCommand('whAcquire', { numberOfKeys: 1, lua: ACQUIRE });
    this.limit = config.webhooks.endpointConcurrency;
    // A request never outlives its timeout (SafeHttpClient's total deadline: connect, headers and
    // body; an idle timer let a dripping endpoint outlive its lease and take more slots). The margin
    // covers signing and the log write.
    this.leaseTtlMs = config.webhooks.timeoutMs + 15_000;
    this.prefix = `${config.storage.queuePrefix}:whlimit`;
  }

  async tryAcquire(channelId: string, slug: string): Promise<EndpointLease | undefined> {
    const key = `${this.prefix}:${channelId}:${slug}`;
    if ((this.local.get(key) ?? 0) >= this.limit) return undefined;
    this.bump(key, 1);
    const member = randomUUID();
    let acquired = false;
    try {
      acquired = (await this.redis.whAcquire(key, this.limit, this.leaseTtlMs, member)) === 1;
    } finally {
      if (!acquired) this.bump(key, -1);
    }
    if (!acquired) return undefined;
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        this.bump(key, -1);
        await this.redis.zrem(key, member);
      },
    };
  }

  /** Slots this process holds now (metrics, tests). */
  heldLocally(channelId: string, slug: string): number {
    return this.local.get(`${this.prefix}:${channelId}:${slug}`) ?? 0;
  }

  private bump(key: string, by: number): void {
    const n = (this.local.get(key) ?? 0) + by;
    if (n <= 0) this.local.delete(key);
    else this.local.set(key, n);
  }
}
