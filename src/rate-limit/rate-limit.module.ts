import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { budgetOf } from './rate-limit.guard';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/** The storage, in a module of its own so ThrottlerModule's async factory can inject it. */
@Module({ providers: [RedisThrottlerStorage], exports: [RedisThrottlerStorage] })
class RateLimitStorageModule {}

/**
 * Per-key and per-IP request budgets (RATE_LIMIT_*), counted in Redis so every server process
 * shares them. The guard itself (RateLimitGuard) is registered in AppModule, just before
 * ApiKeyGuard, because global guards run in the order they are registered.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [AppConfig, RedisThrottlerStorage],
      useFactory: (config: AppConfig, storage: RedisThrottlerStorage) => ({
        storage,
        throttlers: [
          {
            // 'default' keeps the header names plain: Retry-After, X-RateLimit-Limit/Remaining/Reset.
            name: 'default',
            ttl: config.rateLimit.windowMs,
            limit: (context) => (budgetOf(context)?.kind === 'anonymous' ? config.rateLimit.anonymous : config.rateLimit.perKey),
          },
        ],
      }),
    }),
  ],
})
export class RateLimitModule {}
