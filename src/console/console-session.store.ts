import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { RedisClient } from '../redis/redis.module';

/** Idle sessions end after this long; every authenticated request extends it. */
export const SESSION_IDLE_MS = 8 * 3600_000;
/** No session lives longer than this, however active. */
export const SESSION_MAX_MS = 24 * 3600_000;

export interface ConsoleSessionRecord {
  kind: 'admin' | 'account';
  clientIdentifier?: string;
  /** The API key the session was made from (account sessions): revoking it ends the session. */
  keyId?: string;
  /** Fingerprint of the admin key at sign-in (admin sessions): a changed admin key ends them. */
  adminFingerprint?: string;
  /** Sent back by the page in X-CSRF-Token on every state change. */
  csrfToken: string;
  createdAt: number;
}

/**
 * Console sessions, server-side in Redis so that signing out (or a revoked key) really ends
 * them. The cookie carries a random id; Redis keeps only its SHA-256, so a copy of Redis
 * holds no usable session.
 */
@Injectable()
export class ConsoleSessionStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisClient,
    config: AppConfig,
  ) {
    this.prefix = `${config.storage.queuePrefix}:console:session:`;
  }

  async create(fields: Omit<ConsoleSessionRecord, 'csrfToken' | 'createdAt'>): Promise<{ id: string; record: ConsoleSessionRecord }> {
    const id = randomBytes(32).toString('base64url');
    const record: ConsoleSessionRecord = { ...fields, csrfToken: randomBytes(32).toString('base64url'), createdAt: Date.now() };
    await this.redis.redis.set(this.key(id), JSON.stringify(record), 'PX', SESSION_IDLE_MS);
    return { id, record };
  }

  /** The live session, its idle timer restarted; undefined when signed out, expired or too old. */
  async touch(id: string): Promise<ConsoleSessionRecord | undefined> {
    const raw = await this.redis.redis.get(this.key(id));
    if (!raw) return undefined;
    const record = JSON.parse(raw) as ConsoleSessionRecord;
    const left = record.createdAt + SESSION_MAX_MS - Date.now();
    if (left <= 0) {
      await this.delete(id);
      return undefined;
    }
    await this.redis.redis.pexpire(this.key(id), Math.min(SESSION_IDLE_MS, left));
    return record;
  }

  async delete(id: string): Promise<void> {
    await this.redis.redis.del(this.key(id));
  }

  private key(id: string): string {
    return this.prefix + createHash('sha256').update(id).digest('hex');
  }
}
