import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { RedisClient } from '../../redis/redis.module';

/** A day: far longer than any send can stay unsettled (the sweeper settles after minutes). */
const TTL_SECONDS = 24 * 3600;

/**
 * WhatsApp ids of accepted sends, noted in Redis before `sent` is stored in the database. When
 * the process dies between the two (or the database stays away), the message is settled from
 * here as `sent` instead of "interrupted": accepted is never reported as failed.
 */
@Injectable()
export class SentLedger {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisClient,
    config: AppConfig,
  ) {
    this.prefix = `${config.storage.queuePrefix}:sent:`;
  }

  async note(messageId: string, waMessageId: string): Promise<void> {
    await this.redis.redis.set(this.prefix + messageId, waMessageId, 'EX', TTL_SECONDS);
  }

  /** A retried message: the id of its failed copy must not settle the new attempt as sent. */
  async forget(messageId: string): Promise<void> {
    await this.redis.redis.del(this.prefix + messageId);
  }

  async find(messageId: string): Promise<string | undefined> {
    return (await this.redis.redis.get(this.prefix + messageId)) ?? undefined;
  }
}
