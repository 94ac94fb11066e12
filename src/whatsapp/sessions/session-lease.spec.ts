import { Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { RedisClient } from '../../redis/redis.module';
import { SessionLease } from './session-lease';

/** Just enough of Redis for the lease: SET NX PX, GET, and the two compare-and-* scripts. */
class FakeRedis {
  readonly keys = new Map<string, { value: string; expiresAt: number }>();
  down = false;
  /** A stopped server: commands are sent and never answered. */
  hang = false;
  private live(key: string) {
    const e = this.keys.get(key);
    if (e && e.expiresAt <= Date.now()) this.keys.delete(key);
    return this.keys.get(key);
  }
  async set(key: string, value: string, _px: 'PX', ttl: number, _nx: 'NX') {
    if (this.down) throw new Error('connection lost');
    if (this.live(key)) return null;
    this.keys.set(key, { value, expiresAt: Date.now() + ttl });
    return 'OK';
  }
  async get(key: string) {
    return this.live(key)?.value ?? null;
  }
  async eval(script: string, _n: number, key: string, owner: string, ttl?: string) {
    if (this.hang) return new Promise<number>(() => undefined);
    if (this.down) throw new Error('connection lost');
    const e = this.live(key);
    if (!e || e.value !== owner) return 0;
    if (script.includes('pexpire')) e.expiresAt = Date.now() + Number(ttl);
    else this.keys.delete(key);
    return 1;
  }
}

const config = { whatsapp: { leaseTtlMs: 3_000 }, storage: { queuePrefix: 'q' } } as unknown as AppConfig;

describe('SessionLease', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.useRealTimers());

  function two() {
    const redis = new FakeRedis();
    const client = { redis } as unknown as RedisClient;
    return { redis, a: new SessionLease(client, config), b: new SessionLease(client, config) };
  }

  it('gives the lease up by the clock within 80 % of its TTL when renewals are never answered', async () => {
    const { redis, a } = two();
    const lost: { channelId: string; at: number }[] = [];
    a.setLostHandler((channelId) => lost.push({ channelId, at: Date.now() }));
    expect(await a.acquire('c1')).toBe(true);
    const acquiredAt = Date.now();
    redis.hang = true;
    await jest.advanceTimersByTimeAsync(3_000 * 0.8 + 200);
    expect(lost).toHaveLength(1);
    expect(lost[0].at - acquiredAt).toBeLessThanOrEqual(3_000 * 0.8 + 150);
    expect(a.holds('c1')).toBe(false);
  });

  it('gives a channel to one process at a time and keeps it renewed', async () => {
    const { a, b } = two();
    expect(await a.acquire('c1')).toBe(true);
    expect(await a.acquire('c1')).toBe(true); // re-entrant for its owner
    expect(await b.acquire('c1')).toBe(false);
    expect(await b.ownerOf('c1')).toBe(a.ownerId);
    await jest.advanceTimersByTimeAsync(10_000); // renewed every TTL/3
    expect(await b.acquire('c1')).toBe(false);
    await a.release('c1');
    expect(await b.acquire('c1')).toBe(true);
    await b.release('c1');
  });

  it('never interleaves an acquire with its own release (the key and the belief agree)', async () => {
    const { redis, a } = two();
    await a.acquire('c1');
    const releasing = a.release('c1');
    expect(await a.acquire('c1')).toBe(true);
    await releasing;
    expect(a.holds('c1')).toBe(true);
    expect(redis.keys.get('q:wa:lease:c1')?.value).toBe(a.ownerId);
  });

  it('tells the owner at once when the key changed hands', async () => {
    const { redis, a } = two();
    const lost: string[] = [];
    a.setLostHandler((id) => lost.push(id));
    await a.acquire('c1');
    redis.keys.set('q:wa:lease:c1', { value: 'someone-else', expiresAt: Date.now() + 60_000 });
    await jest.advanceTimersByTimeAsync(1_000);
    expect(lost).toEqual(['c1']);
    expect(a.holds('c1')).toBe(false);
  });

  it('rides out a short Redis outage but gives up before another process could take over', async () => {
    const { redis, a } = two();
    const lost: string[] = [];
    a.setLostHandler((id) => lost.push(id));
    await a.acquire('c1');
    redis.down = true;
    await jest.advanceTimersByTimeAsync(2_000);
    expect(lost).toEqual([]);
    await jest.advanceTimersByTimeAsync(1_000); // 80 % of the TTL without a renewal
    expect(lost).toEqual(['c1']);
  });
});
