import { Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import IORedis, { Redis, RedisOptions } from 'ioredis';
import { once } from 'node:events';

/** ioredis options from a redis:// URL, as BullMQ needs them (no per-command retry cap). */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname && u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
  };
}

/** A command gets no answer for this long: Redis is away (a stopped or partitioned server keeps the socket open). */
export const COMMAND_TIMEOUT_MS = 2_000;

/**
 * The command options: fail fast. BullMQ's blocking connections wait out an outage by design
 * (`maxRetriesPerRequest: null`), but a command that an API call or a lease waits for must not:
 * no offline queue (a command while disconnected fails at once), one retry after a reconnect,
 * and a reply timeout for a server that accepts bytes but answers nothing.
 */
export function commandOptions(options: RedisOptions): RedisOptions {
  return { ...options, maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: COMMAND_TIMEOUT_MS };
}

/**
 * The shared command connection (leases, journal, counters, health), which fails fast.
 * `options` are the blocking-style options for BullMQ workers and subscribers.
 */
@Injectable()
export class RedisClient implements OnModuleInit, OnApplicationShutdown {
  readonly redis: Redis;
  constructor(readonly options: RedisOptions) {
    this.redis = new IORedis(commandOptions(options));
    // Errors are seen by the commands and RedisAvailability; without a listener ioredis logs them itself.
    this.redis.on('error', () => undefined);
  }

  /** Without an offline queue, commands before the first connect would fail: wait for it (bounded). */
  async onModuleInit(): Promise<void> {
    if (this.redis.status === 'ready') return;
    const timeout = AbortSignal.timeout(15_000);
    await once(this.redis, 'ready', { signal: timeout }).catch(() => undefined);
  }

  /** A connection of its own with the blocking options (subscribers, BullMQ workers). */
  connection(): Redis {
    return new IORedis(this.options);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
