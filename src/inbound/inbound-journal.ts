import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AppConfig } from '../config/app-config';
import { RedisClient } from '../redis/redis.module';
import type { EngineContext } from '../whatsapp/engine/inbound-sink.port';
import type { InboundEngineEvent } from '../whatsapp/engine/messaging-engine.port';

export interface JournalEntry {
  /** Ours, fixed before the write (group notifications use it as their event id). */
  id: string;
  ctx: EngineContext;
  event: InboundEngineEvent;
  receivedAt: Date;
  /** Where it was written: the stream and the entry's id in it. */
  stream?: string;
  streamId?: string;
}

/** A process that has not said it is alive for this long is dead: its journal is adopted. */
const ALIVE_TTL_MS = 10_000;
const HEARTBEAT_MS = 3_000;

/**
 * The inbound journal: every engine event, appended the moment it arrives, removed once
 * applied (message stored, webhook events recorded). One Redis stream per server process,
 * because Redis answers in well under a millisecond whatever the database is doing: an event
 * is safe from a crash of the process almost as soon as WhatsApp Web hands it over. (A journal
 * in the database was tried first: on FerretDB its writes queue behind the work they protect,
 * and a killed process lost up to a hundred events of a burst.) Redis runs with AOF; MongoDB
 * stays the system of record.
 *
 * A process refreshes an "alive" key; the journal of a process whose key expired is adopted
 * by another one (under a lock), applied, and deleted.
 */
@Injectable()
export class InboundJournal implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InboundJournal.name);
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly prefix: string;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly redis: RedisClient,
    config: AppConfig,
  ) {
    this.prefix = `${config.storage.queuePrefix}:inbound`;
  }

  private get journals(): string {
    return `${this.prefix}:journals`;
  }
  private streamOf(owner: string): string {
    return `${this.prefix}:journal:${owner}`;
  }
  private aliveKey(owner: string): string {
    return `${this.prefix}:alive:${owner}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    const beat = () => this.redis.redis.set(this.aliveKey(this.owner), '1', 'PX', ALIVE_TTL_MS).catch(() => undefined);
    await beat();
    this.heartbeat = setInterval(() => void beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    // Whatever is left is adopted by another process (or by this server's next boot) right away.
    await this.redis.redis.del(this.aliveKey(this.owner)).catch(() => undefined);
  }

  entry(ctx: EngineContext, event: InboundEngineEvent, receivedAt = new Date()): JournalEntry {
    return { id: randomUUID(), ctx, event, receivedAt };
  }

  /** Appends entries in one round trip. A retried write may append an entry twice: applying is idempotent. */
  async appendMany(entries: JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const stream = this.streamOf(this.owner);
    const pipeline = this.redis.redis.pipeline().sadd(this.journals, stream);
    for (const e of entries) {
      pipeline.xadd(stream, '*', 'e', JSON.stringify({ id: e.id, ctx: e.ctx, event: e.event, receivedAt: e.receivedAt.getTime() }));
    }
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err);
    if (failed) throw failed[0];
    entries.forEach((e, i) => {
      e.stream = stream;
      e.streamId = String(results[i + 1][1]);
    });
  }

  async remove(entry: JournalEntry): Promise<void> {
    if (entry.stream && entry.streamId) await this.redis.redis.xdel(entry.stream, entry.streamId);
  }

  /**
   * Entries to apply again: this process's own that are older than `olderThan` (their apply
   * failed), and every entry of dead processes (adopted under a lock; their emptied journals
   * are deleted). In arrival order per journal.
   */
  async leftovers(olderThan: Date, limit: number): Promise<JournalEntry[]> {
    const own = this.streamOf(this.owner);
    const out = await this.read(own, `${olderThan.getTime()}`, limit);
    for (const stream of await this.redis.redis.smembers(this.journals)) {
      if (stream === own || out.length >= limit) continue;
      const owner = stream.slice(`${this.prefix}:journal:`.length);
      if (await this.redis.redis.exists(this.aliveKey(owner))) continue;
      const lock = await this.redis.redis.set(`${this.prefix}:adopt:${owner}`, this.owner, 'PX', 60_000, 'NX');
      if (lock !== 'OK') continue;
      const entries = await this.read(stream, '+', limit - out.length);
      if (entries.length === 0) {
        await this.redis.redis.multi().srem(this.journals, stream).del(stream).exec();
        continue;
      }
      this.logger.warn({ owner, entries: entries.length }, 'Adopting the inbound journal of a dead process');
      out.push(...entries);
    }
    return out;
  }

  private async read(stream: string, end: string, limit: number): Promise<JournalEntry[]> {
    const rows = await this.redis.redis.xrange(stream, '-', end, 'COUNT', limit);
    const entries: JournalEntry[] = [];
    for (const [streamId, fields] of rows) {
      const raw = fields[fields.indexOf('e') + 1];
      try {
        const e = JSON.parse(raw) as { id: string; ctx: EngineContext; event: InboundEngineEvent; receivedAt: number };
        entries.push({ id: e.id, ctx: e.ctx, event: e.event, receivedAt: new Date(e.receivedAt), stream, streamId });
      } catch {
        this.logger.error({ stream, streamId }, 'Unreadable inbound journal entry; dropped');
        await this.redis.redis.xdel(stream, streamId);
      }
    }
    return entries;
  }
}
