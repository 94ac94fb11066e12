import { AppConfig } from '../config/app-config';
import { RedisAvailability } from '../redis/redis-availability';
import { RedisClient } from '../redis/redis-client';
import { RedisThrottlerStorage } from './redis-throttler.storage';

const config = { storage: { queuePrefix: 'omc' } } as AppConfig;

/** A storage over a fake Redis: `reply` is what EVAL does, `up` what RedisAvailability says. */
function sut(reply: () => Promise<unknown>, up = true) {
  const calls: unknown[][] = [];
  const client = { redis: { eval: (...args: unknown[]) => (calls.push(args), reply()) } } as unknown as RedisClient;
  const availability = { available: up } as RedisAvailability;
  return { storage: new RedisThrottlerStorage(client, availability, config), calls };
}

describe('RedisThrottlerStorage', () => {
  it('counts in Redis under the deployment prefix and blocks past the limit', async () => {
    const { storage, calls } = sut(async () => [6, 41_200]);
    const record = await storage.increment('default:key:abc', 60_000, 5);
    expect(calls[0].slice(1)).toEqual([1, 'omc:ratelimit:default:key:abc', '60000']);
    expect(record).toEqual({ totalHits: 6, timeToExpire: 42, isBlocked: true, timeToBlockExpire: 42 });
  });

  it('lets the request through while within the limit', async () => {
    const { storage } = sut(async () => [5, 1_000]);
    expect((await storage.increment('k', 60_000, 5)).isBlocked).toBe(false);
  });

  it('fails open without a round trip while Redis is known to be away', async () => {
    const { storage, calls } = sut(async () => [99, 1_000], false);
    expect((await storage.increment('k', 60_000, 5)).isBlocked).toBe(false);
    expect(calls).toHaveLength(0);
  });

  it('fails open when the command fails', async () => {
    const { storage } = sut(() => Promise.reject(new Error('Connection is closed.')));
    expect((await storage.increment('k', 60_000, 5)).isBlocked).toBe(false);
  });

  it('fails open, quickly, when Redis accepts the command but never answers', async () => {
    const { storage } = sut(() => new Promise(() => undefined));
    const started = Date.now();
    expect((await storage.increment('k', 60_000, 5)).isBlocked).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
