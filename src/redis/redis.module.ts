import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import type { ConnectionOptions } from 'bullmq';
import { Connections } from '../database/connections';
import { RedisAvailability } from './redis-availability';
import { RedisClient, redisOptionsFromUrl } from './redis-client';
import { RedisUnavailableInterceptor } from './redis-unavailable.interceptor';

export { COMMAND_TIMEOUT_MS, commandOptions, RedisClient, redisOptionsFromUrl } from './redis-client';

@Global()
@Module({})
export class RedisModule {
  static forRoot(connections: Connections, prefix: string): DynamicModule {
    const options = redisOptionsFromUrl(connections.redisUrl);
    return {
      module: RedisModule,
      imports: [BullModule.forRoot({ connection: { ...options } as ConnectionOptions, prefix })],
      providers: [
        { provide: RedisClient, useFactory: () => new RedisClient(options) },
        RedisAvailability,
        { provide: APP_INTERCEPTOR, useClass: RedisUnavailableInterceptor },
      ],
      exports: [RedisClient, RedisAvailability, BullModule],
    };
  }
}
