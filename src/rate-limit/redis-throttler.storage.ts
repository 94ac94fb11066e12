import { Injectable, Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { RedisAvailability } from '../redis/redis-availability';
import { RedisClient } from '../redis/redis-client';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One fixed window per key: the first hit creates the counter with the window's expiry, every
 * hit increments it, and the reply is the count and the milliseconds the window has left. One
 * round trip, atomic, so every server process on this Redis draws from the same budget.
 */
const HIT = `
local hits = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return { hits, left }
`;

/**
 * A count that takes longer than this is given up (fail open): Redis answers in well under a
 * millisecond when healthy, and the first second of an outage, before RedisAvailability notices,
 * must not add the client's 2 s command timeout to every request.
 */
const COUNT_TIMEOUT_MS = 250;

/** How often a Redis failure is logged while the limiter fails open (one line, not one per request). */
const FAILURE_LOG_EVERY_MS = 10_000;

/**
 * @nestjs/throttler's storage on the shared Redis. Fails open: while Redis does not answer
 * (RedisAvailability says so without a round trip, or the command fails), requests pass
 * uncounted. The limiter protects capacity, not access (keys do that), and failing closed would
 * turn a Redis outage into an outage of every route, including those that never touch Redis.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private readonly prefix: string;
  private lastFailureLog = 0;

  constructor(
    private readonly client: RedisClient,
    private readonly availability: RedisAvailability,
    config: AppConfig,
  ) {
    this.prefix = `${config.storage.queuePrefix}:ratelimit:`;
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    if (!this.availability.available) return this.uncounted(ttl, 'Redis is not answering');
    try {
      const [hits, left] = await this.count(this.prefix + key, ttl);
      const seconds = Math.max(1, Math.ceil(left / 1000));
      return { totalHits: hits, timeToExpire: seconds, isBlocked: hits > limit, timeToBlockExpire: hits > limit ? seconds : 0 };
    } catch (err) {
      return this.uncounted(ttl, err);
    }
  }

  private count(key: string, ttl: number): Promise<[number, number]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${COUNT_TIMEOUT_MS} ms`)), COUNT_TIMEOUT_MS);
    });
    const counted = this.client.redis.eval(HIT, 1, key, String(ttl)) as Promise<[number, number]>;
    // A late reply (or failure) after the timeout is dropped.
    counted.catch(() => undefined);
    return Promise.race([counted, timeout]).finally(() => clearTimeout(timer));
  }

  private uncounted(ttl: number, reason: unknown): ThrottlerStorageRecord {
    const now = Date.now();
    if (now - this.lastFailureLog > FAILURE_LOG_EVERY_MS) {
      this.lastFailureLog = now;
      this.logger.warn({ err: reason }, 'Rate limits not counted: Redis unavailable, letting requests through');
    }
    return { totalHits: 0, timeToExpire: Math.ceil(ttl / 1000), isBlocked: false, timeToBlockExpire: 0 };
  }
}
