import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Observable, Subject } from 'rxjs';
import { AppConfig } from '../../config/app-config';
import { RedisClient } from '../../redis/redis.module';
import type { SessionStatus, StatusChangeKind } from './channel-session';
import { SessionLease } from './session-lease';

export interface StatusNotice {
  kind: StatusChangeKind;
  previousState: SessionStatus['state'];
  status: SessionStatus;
}

interface Wire {
  origin: string;
  kind: StatusChangeKind;
  previousState: SessionStatus['state'];
  status: Record<string, unknown>;
}

const DATE_FIELDS = ['qrExpiresAt', 'lastReadyAt', 'retryAt', 'updatedAt'] as const;

/**
 * Live session changes for the SSE streams, across server processes: the owner of a session
 * publishes each change locally and on a Redis channel; every other process relays what it
 * hears to its own subscribers. An onboarding popup therefore updates whichever process it
 * reached.
 */
@Injectable()
export class SessionStatusBus implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SessionStatusBus.name);
  private readonly subject = new Subject<StatusNotice>();
  private readonly closed = new Subject<void>();
  private readonly channel: string;
  private subscriber?: Redis;

  constructor(
    private readonly redis: RedisClient,
    private readonly lease: SessionLease,
    config: AppConfig,
  ) {
    this.channel = `${config.storage.queuePrefix}:wa:status`;
  }

  onModuleInit(): void {
    const sub = this.redis.connection();
    this.subscriber = sub;
    sub.on('message', (_channel: string, raw: string) => this.receive(raw));
    sub.on('error', (err) => this.logger.warn({ err }, 'Session status subscriber error'));
    // Not awaited: an unreachable Redis must not hold up boot (ioredis subscribes once connected).
    sub.subscribe(this.channel).catch((err: unknown) => this.logger.error({ err }, 'Could not subscribe to session status changes'));
  }

  publish(notice: StatusNotice): void {
    this.subject.next(notice);
    const wire: Wire = { origin: this.lease.ownerId, kind: notice.kind, previousState: notice.previousState, status: { ...notice.status } };
    this.redis.redis.publish(this.channel, JSON.stringify(wire)).catch((err: unknown) => {
      this.logger.warn({ err }, 'Could not publish a session status change');
    });
  }

  /** Changes of every session seen by this process; completes at shutdown. */
  changes(): Observable<StatusNotice> {
    return this.subject.asObservable();
  }

  /** Emits once when the server shuts down (SSE streams end then). */
  shutdown(): Observable<void> {
    return this.closed.asObservable();
  }

  close(): void {
    this.closed.next();
    this.closed.complete();
  }

  private receive(raw: string): void {
    try {
      const wire = JSON.parse(raw) as Wire;
      if (wire.origin === this.lease.ownerId) return;
      const status = { ...wire.status } as Record<string, unknown>;
      for (const field of DATE_FIELDS) if (typeof status[field] === 'string') status[field] = new Date(status[field]);
      this.subject.next({ kind: wire.kind, previousState: wire.previousState, status: status as unknown as SessionStatus });
    } catch (err) {
      this.logger.warn({ err }, 'Unreadable session status message');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.closed.closed) this.close();
    this.subject.complete();
    const sub = this.subscriber;
    this.subscriber = undefined;
    if (sub) await sub.quit().catch(() => sub.disconnect());
  }
}
