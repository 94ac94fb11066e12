import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { RedisClient } from '../../redis/redis.module';
import { deriveKey } from '../../providers/credentials-cipher';
import { SessionLease } from '../sessions/session-lease';

/** One live server process as the others see it. */
export interface ClusterMember {
  id: string;
  /** WhatsApp Web sessions it runs (holds the lease of). */
  sessions: number;
  /** SESSION_MAX_PER_PROCESS of that process. */
  cap: number;
  /** Draining: hands its sessions over and takes no new ones. */
  draining: boolean;
  startedAt: string;
  heartbeatAt: string;
  /** Id of its PROVIDER_CREDENTIALS_KEY (a hash, not the key): every process must have the same. */
  credentialsKeyId?: string;
}

/**
 * The live server processes, in Redis. Each process writes `<prefix>:wa:member:<id>` (its load, a TTL of
 * one lease TTL, rewritten every third of it and at once when its load changes) and keeps its id in the
 * `<prefix>:wa:members` set; a member whose key expired is gone (killed, frozen, cut off) and is pruned
 * by whoever lists next. Placement picks from this list: the process with the most room, never a full or
 * draining one. The member id is the lease owner id, so "who owns channel X" and "is X's owner alive"
 * are the same name.
 */
@Injectable()
export class ClusterMembers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ClusterMembers.name);
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly startedAt = new Date().toISOString();
  private timer?: NodeJS.Timeout;
  private draining = false;
  private left = false;
  private readonly credentialsKeyId: string;

  constructor(
    private readonly redis: RedisClient,
    private readonly lease: SessionLease,
    private readonly config: AppConfig,
  ) {
    this.prefix = `${config.storage.queuePrefix}:wa:`;
    this.ttlMs = config.whatsapp.leaseTtlMs;
    this.credentialsKeyId = deriveKey(config.cloud.credentialsKey).id;
    // Placement must see a new session at once, not a beat later: two starts would pick the same process.
    lease.setHeldChangedHandler(() => void this.heartbeat());
  }

  get id(): string {
    return this.lease.ownerId;
  }

  get cap(): number {
    return this.config.whatsapp.maxPerProcess;
  }

  isDraining(): boolean {
    return this.draining;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.heartbeat();
    await this.checkSharedKey();
    this.timer = setInterval(() => void this.heartbeat(), Math.max(300, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  /** Writes this process's record now (load changed, drain began). Never throws: the next beat retries. */
  async heartbeat(): Promise<void> {
    if (this.left) return;
    const me: ClusterMember = {
      id: this.id,
      sessions: this.lease.heldCount(),
      cap: this.cap,
      draining: this.draining,
      startedAt: this.startedAt,
      heartbeatAt: new Date().toISOString(),
      credentialsKeyId: this.credentialsKeyId,
    };
    try {
      await this.redis.redis.multi().set(this.memberKey(this.id), JSON.stringify(me), 'PX', this.ttlMs).sadd(this.setKey(), this.id).exec();
      // A beat that was on its way while the process left would list it again until the TTL.
      if (this.left) await this.redis.redis.multi().del(this.memberKey(this.id)).srem(this.setKey(), this.id).exec();
    } catch (err) {
      this.logger.warn({ err }, 'Could not publish this process in the cluster list');
    }
  }

  /**
   * Stored links and provider credentials written by one process are read by the others: a process
   * whose PROVIDER_CREDENTIALS_KEY differs (unset: generated per DATA_DIR) could not restore them. Said
   * loudly at boot rather than found out at the first failover.
   */
  private async checkSharedKey(): Promise<void> {
    const others = await this.list().catch(() => []);
    const differing = others.filter((m) => m.id !== this.id && m.credentialsKeyId && m.credentialsKeyId !== this.credentialsKeyId);
    if (differing.length > 0)
      this.logger.error(
        { processes: differing.map((m) => m.id), keyId: this.credentialsKeyId },
        'PROVIDER_CREDENTIALS_KEY differs from other server processes: set the same key on every process, or sessions moved here show a QR and provider credentials cannot be read',
      );
  }

  async setDraining(draining: boolean): Promise<void> {
    this.draining = draining;
    await this.heartbeat();
  }

  /** Every live process (this one included), oldest first. */
  async list(): Promise<ClusterMember[]> {
    const ids = await this.redis.redis.smembers(this.setKey());
    if (ids.length === 0) return [];
    const raw = await this.redis.redis.mget(ids.map((id) => this.memberKey(id)));
    const gone = ids.filter((_, i) => raw[i] === null);
    if (gone.length > 0) await this.redis.redis.srem(this.setKey(), ...gone).catch(() => undefined);
    return raw
      .filter((r): r is string => r !== null)
      .map((r) => JSON.parse(r) as ClusterMember)
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
  }

  async isLive(id: string): Promise<boolean> {
    return (await this.redis.redis.exists(this.memberKey(id))) === 1;
  }

  /**
   * Where a session that runs nowhere should go: the live, non-draining process with the lowest share
   * of its cap in use (then the fewest sessions; then this process, which saves a hop). Undefined when
   * every process is full or draining.
   */
  async choose(exclude: string[] = []): Promise<string | undefined> {
    const candidates = (await this.list()).filter((m) => !m.draining && m.sessions < m.cap && !exclude.includes(m.id));
    candidates.sort((a, b) => a.sessions / a.cap - b.sessions / b.cap || a.sessions - b.sessions || rank(a.id, this.id) - rank(b.id, this.id));
    return candidates[0]?.id;
  }

  /** Leaves the list at once (shutdown): nobody forwards to or places on this process any more. */
  async leave(): Promise<void> {
    if (this.left) return;
    this.left = true;
    if (this.timer) clearInterval(this.timer);
    await this.redis.redis
      .multi()
      .del(this.memberKey(this.id))
      .srem(this.setKey(), this.id)
      .exec()
      .catch((err: unknown) => this.logger.warn({ err }, 'Could not leave the cluster list; the entry expires by itself'));
  }

  onApplicationShutdown(): Promise<void> {
    return this.leave();
  }

  private memberKey(id: string): string {
    return `${this.prefix}member:${id}`;
  }

  private setKey(): string {
    return `${this.prefix}members`;
  }
}

function rank(id: string, self: string): number {
  return id === self ? 0 : 1;
}
