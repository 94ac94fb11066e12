import { DynamicModule, Global, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import type { ConnectionOptions } from 'bullmq';
import IORedis, { Redis, RedisOptions } from 'ioredis';
import { Connections } from '../database/connections';

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

/** The shared command connection (leases, counters, health). Queues open their own. */
@Injectable()
export class RedisClient implements OnApplicationShutdown {
  readonly redis: Redis;
  constructor(readonly options: RedisOptions) {
    this.redis = new IORedis(options);
  }
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({})
export class RedisModule {
  static forRoot(connections: Connections, prefix: string): DynamicModule {
    const options = redisOptionsFromUrl(connections.redisUrl);
    return {
      module: RedisModule,
      imports: [BullModule.forRoot({ connection: { ...options } as ConnectionOptions, prefix })],
      providers: [{ provide: RedisClient, useFactory: () => new RedisClient(options) }],
      exports: [RedisClient, BullModule],
    };
  }
}
