import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { RedisClient } from '../../redis/redis.module';
import { SessionLease } from '../sessions/session-lease';
import { WhatsappErrorCode } from '../whatsapp.errors';
import { decode, encode, fromWireError, toWireError, WireError } from './wire-codec';

/** Runs one command that another process sent here; its result or AppError goes back. */
export type CommandHandler = (name: string, payload: unknown) => Promise<unknown>;

interface Pending {
  resolve(value: unknown): void;
  reject(err: unknown): void;
  timer: NodeJS.Timeout;
}

/** Streams keep at most about this many entries; a reader is never this far behind. */
const STREAM_MAXLEN = 1000;
const READ_BLOCK_MS = 2_000;

/**
 * Request/reply between server processes over Redis Streams. Each process reads two streams of its own,
 * `<prefix>:wa:cmd:<id>` (commands for it) and `<prefix>:wa:reply:<id>` (answers to what it asked), with
 * one blocking XREAD on a dedicated connection. A command carries its deadline: the caller stops waiting
 * then (503 SESSION_OWNER_UNREACHABLE) and the receiver drops it unread if it comes later, so a command
 * never runs after its caller gave up.
 *
 * Why streams and not BullMQ: a command is a call, not work to keep. BullMQ would persist and retry a
 * job whose caller is gone (a `logout` applied a minute late), and its completion events go through a
 * shared events stream that every waiter scans. A stream per process is one XADD there and one back.
 */
@Injectable()
export class CommandBus implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CommandBus.name);
  private readonly pending = new Map<string, Pending>();
  private readonly prefix: string;
  private reader?: Redis;
  private handler: CommandHandler = async () => {
    throw new Error('no command handler');
  };
  private closed = false;
  private loop?: Promise<void>;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly redis: RedisClient,
    private readonly lease: SessionLease,
    config: AppConfig,
  ) {
    this.prefix = `${config.storage.queuePrefix}:wa:`;
  }

  get id(): string {
    return this.lease.ownerId;
  }

  serve(handler: CommandHandler): void {
    this.handler = handler;
  }

  onApplicationBootstrap(): void {
    this.reader = this.redis.connection();
    this.reader.on('error', () => undefined);
    // Explicit ids from now on: `$` between two reads would skip what arrived in between.
    const from = `${Date.now()}-0`;
    this.loop = this.read(from, from);
  }

  /** Asks process `target` to run a command; resolves with its answer or rejects with its AppError. */
  call<T>(target: string, name: string, payload: unknown, timeoutMs: number): Promise<T> {
    const requestId = randomUUID();
    const deadline = Date.now() + timeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(ownerUnreachable(target, timeoutMs));
      }, timeoutMs);
      this.pending.set(requestId, { resolve: resolve as (v: unknown) => void, reject, timer });
      const key = this.inbox(target);
      this.redis.redis
        .multi()
        .xadd(key, 'MAXLEN', '~', STREAM_MAXLEN, '*', 'rid', requestId, 'from', this.id, 'name', name, 'deadline', String(deadline), 'body', encode(payload))
        .pexpire(key, timeoutMs * 2)
        .exec()
        .then((results) => {
          const failed = results?.find(([err]) => err);
          if (failed) throw failed[0];
        })
        .catch((err: unknown) => {
          clearTimeout(timer);
          this.pending.delete(requestId);
          this.logger.warn({ err, target, name }, 'Could not send a command to another process');
          reject(ownerUnreachable(target, timeoutMs));
        });
    });
  }

  private inbox(id: string): string {
    return `${this.prefix}cmd:${id}`;
  }

  private replies(id: string): string {
    return `${this.prefix}reply:${id}`;
  }

  private async read(inboxFrom: string, repliesFrom: string): Promise<void> {
    let lastCommand = inboxFrom;
    let lastReply = repliesFrom;
    while (!this.closed) {
      let batches: [string, [string, string[]][]][] | null;
      try {
        batches = (await this.reader!.xread('COUNT', 100, 'BLOCK', READ_BLOCK_MS, 'STREAMS', this.inbox(this.id), this.replies(this.id), lastCommand, lastReply)) as
          | [string, [string, string[]][]][]
          | null;
      } catch (err) {
        if (this.closed) return;
        this.logger.warn({ err }, 'Reading forwarded commands failed; retrying');
        await sleep(500);
        continue;
      }
      for (const [stream, entries] of batches ?? []) {
        for (const [entryId, fields] of entries) {
          const f = fieldsOf(fields);
          if (stream === this.inbox(this.id)) {
            lastCommand = entryId;
            this.track(this.execute(f));
          } else {
            lastReply = entryId;
            this.settle(f);
          }
        }
      }
    }
  }

  private track(work: Promise<void>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  private async execute(f: Record<string, string>): Promise<void> {
    if (Number(f.deadline) < Date.now()) {
      this.logger.warn({ name: f.name, from: f.from }, 'Dropped a forwarded command whose caller stopped waiting');
      return;
    }
    let reply: { ok: true; value: unknown } | { ok: false; error: WireError };
    try {
      reply = { ok: true, value: await this.handler(f.name, decode(f.body)) };
    } catch (err) {
      if (!(err instanceof AppError)) this.logger.error({ err, name: f.name, from: f.from }, 'Forwarded command failed');
      reply = { ok: false, error: toWireError(err) };
    }
    const key = this.replies(f.from);
    await this.redis.redis
      .multi()
      .xadd(key, 'MAXLEN', '~', STREAM_MAXLEN, '*', 'rid', f.rid, 'reply', encode(reply))
      .pexpire(key, 120_000)
      .exec()
      .catch((err: unknown) => this.logger.warn({ err, to: f.from }, 'Could not answer a forwarded command'));
  }

  private settle(f: Record<string, string>): void {
    const pending = this.pending.get(f.rid);
    if (!pending) return; // timed out already
    this.pending.delete(f.rid);
    clearTimeout(pending.timer);
    const reply = decode<{ ok: true; value: unknown } | { ok: false; error: WireError }>(f.reply);
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(fromWireError(reply.error));
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(AppError.unavailable(WhatsappErrorCode.SESSION_OWNER_UNREACHABLE, 'This server process is shutting down').retryAfter(1));
      this.pending.delete(id);
    }
    await Promise.allSettled([...this.running]);
    this.reader?.disconnect();
    await this.loop?.catch(() => undefined);
  }
}

function ownerUnreachable(_target: string, timeoutMs: number): AppError {
  return AppError.unavailable(
    WhatsappErrorCode.SESSION_OWNER_UNREACHABLE,
    `The server process running this session did not answer within ${timeoutMs} ms; retry shortly`,
  ).retryAfter(5);
}

function fieldsOf(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]] = flat[i + 1];
  return out;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
