import {
  BeforeApplicationShutdown,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { Semaphore } from 'async-mutex';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../common/errors/app-error';
import { DomainEventName, DomainEvents } from '../../common/events/domain-events';
import { SweepScheduler } from '../../common/scheduling/sweep-scheduler';
import { BackgroundContext } from '../../common/logging/background-context';
import { AppConfig } from '../../config/app-config';
import { EngineContext, InboundEventSink } from '../engine/inbound-sink.port';
import { EngineSession, InboundEngineEvent, MessagingEngine } from '../engine/messaging-engine.port';
import { WhatsappErrorCode } from '../whatsapp.errors';
import { ChannelDirectory } from './channel-directory';
import {
  ChannelSession,
  ChannelSessionOptions,
  DEFAULT_SESSION_OPTIONS,
  LeaseUnavailableError,
  PairingNotPossibleError,
  SessionStatus,
  StatusChange,
  WaitTimeoutError,
} from './channel-session';
import { RedisClient } from '../../redis/redis.module';
import { LinkKeeper } from '../auth-snapshots/link-keeper';
import { ClusterMembers } from '../cluster/cluster-members';
import { SessionRouter } from '../cluster/session-router';
import { SessionLease } from './session-lease';
import { isActive, SessionReason, SessionState } from './session-state';
import { SessionStatusBus } from './session-status-bus';
import { SessionsRepository } from './sessions.repository';

/** Overrides of the state machine's timings (tests); production uses config + defaults. */
export const SESSION_OPTIONS = Symbol('SESSION_OPTIONS');

/**
 * Every local status change (a StatusChange), on the app's EventEmitter2 (metrics listen with
 * `@OnEvent`). Internal: not a DomainEventName, never a webhook.
 */
export const SESSION_CHANGED = 'whatsapp.session.changed';

/** The adoption pass's name in the scheduler registry. */
const ADOPTION = 'whatsapp-session-adoption';

/** Where a channel's session runs, as far as this process can tell. */
export type SessionOwnership = 'local' | 'remote' | 'none';

export interface SessionStatusView extends SessionStatus {
  owner: SessionOwnership;
}

/** A logging sink for when no inbound pipeline is registered in the app. */
class LoggingInboundSink extends InboundEventSink {
  private readonly logger = new Logger('InboundEvents');
  async handle(ctx: EngineContext, event: InboundEngineEvent): Promise<void> {
    this.logger.log({ channelId: ctx.channelId, type: event.type }, 'Engine event (no inbound pipeline registered)');
  }
  async store(ctx: EngineContext, events: InboundEngineEvent[]): Promise<void> {
    for (const event of events) await this.handle(ctx, event);
  }
}

/**
 * Runs one ChannelSession per WhatsApp Web channel this process owns. Owning means holding the
 * channel's lease; every command that would launch a browser takes the lease first, so no two
 * processes ever run the same account. Restores linked sessions at boot (staggered, bounded by
 * the start limiter) and closes every browser on shutdown.
 */
@Injectable()
export class SessionManager implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SessionManager.name);
  private readonly sessions = new Map<string, ChannelSession>();
  /** Bounds how many browsers launch at once (a launch and first page load are the expensive part). */
  private readonly starts: Semaphore;
  private readonly options: ChannelSessionOptions;
  private sink?: InboundEventSink;
  private closing = false;
  private restoring?: Promise<void>;
  private readonly publications = new Set<Promise<void>>();
  private shuttingDown?: Promise<void>;
  private draining?: Promise<number>;
  private readonly adoptionKey: string;

  /**
   * The session commands as callers use them: each runs in the process that runs (or, for those that
   * start a browser, should run) the channel's session, forwarded there when that is another process.
   * The methods of the same name on the manager itself act on this process only.
   */
  readonly commands: Pick<SessionManager, 'start' | 'restart' | 'stop' | 'logout' | 'requestPairingCode' | 'forget'>;

  constructor(
    private readonly config: AppConfig,
    private readonly engine: MessagingEngine,
    private readonly repository: SessionsRepository,
    private readonly lease: SessionLease,
    private readonly directory: ChannelDirectory,
    private readonly events: DomainEvents,
    private readonly bus: SessionStatusBus,
    private readonly moduleRef: ModuleRef,
    private readonly sweeps: SweepScheduler,
    private readonly emitter: EventEmitter2,
    private readonly router: SessionRouter,
    private readonly members: ClusterMembers,
    private readonly redisClient: RedisClient,
    private readonly links: LinkKeeper,
    @Optional() @Inject(SESSION_OPTIONS) overrides?: Partial<ChannelSessionOptions>,
    @Optional() private readonly background?: BackgroundContext,
  ) {
    this.starts = new Semaphore(config.whatsapp.maxConcurrentStarts);
    this.options = {
      ...DEFAULT_SESSION_OPTIONS,
      readyTimeoutMs: config.whatsapp.readyTimeoutMs,
      qrTimeoutMs: config.whatsapp.qrTimeoutMs,
      ...overrides,
    };
    this.lease.setLostHandler((channelId) => this.leaseLost(channelId));
    this.adoptionKey = `${config.storage.queuePrefix}:wa:adoption-pass`;
    this.commands = router.expose('session', this, {
      start: 'start',
      restart: 'start',
      requestPairingCode: 'start',
      stop: 'owner',
      logout: 'owner',
      forget: 'cleanup',
    });
    router.handleProcessCommand('process.drain', async () => ({ handedOver: await this.drain() }));
    router.handleProcessCommand('process.resume', async () => {
      await this.resume();
      return { resumed: true };
    });
  }

  get engineName(): string {
    return this.engine.name;
  }

  /** The local session object of a channel, if this process runs (or ran) it. */
  local(channelId: string): ChannelSession | undefined {
    return this.sessions.get(channelId);
  }

  /** True while this process holds a fresh lease on the channel (sends and actions check it). */
  ownsNow(channelId: string): boolean {
    return this.lease.holds(channelId);
  }

  /** Sessions this process runs. */
  localSessions(): ChannelSession[] {
    return [...this.sessions.values()];
  }

  isRestoring(): boolean {
    return this.restoring !== undefined;
  }

  dataDirOf(channelId: string): string {
    return join(this.config.storage.dataDir, 'sessions', channelId);
  }

  /** The browser profile inside it (whatsapp-web.js LocalAuth without a clientId). */
  private profileDirOf(channelId: string): string {
    return join(this.dataDirOf(channelId), 'session');
  }

  // ----------------------------------------------------------------------------- status

  async status(clientIdentifier: string, channelId: string): Promise<SessionStatusView> {
    const local = this.sessions.get(channelId);
    if (local && local.snapshot().clientIdentifier === clientIdentifier && this.lease.holds(channelId))
      return { ...local.snapshot(), owner: 'local' };
    const record = await this.repository.find(clientIdentifier, channelId);
    const base: SessionStatus = record
      ? { ...record, reason: record.reason, retryAt: undefined }
      : { channelId, clientIdentifier, state: 'STOPPED', linked: false, autoStart: false, updatedAt: new Date(0) };
    const owner = await this.lease.ownerOf(channelId);
    if (owner && owner !== this.lease.ownerId) return { ...base, owner: 'remote' };
    if (local && local.snapshot().clientIdentifier === clientIdentifier) return { ...local.snapshot(), owner: 'none' };
    if (isActive(base.state))
      // The process that ran it is gone (its lease expired): say so rather than echo a stale state.
      return { ...base, state: 'DISCONNECTED', reason: SessionReason.OWNER_GONE, qr: undefined, qrExpiresAt: undefined, owner: 'none' };
    return { ...base, owner: 'none' };
  }

  // ----------------------------------------------------------------------------- commands

  /** Starts (or keeps running) the channel's session; needs the lease. */
  async start(clientIdentifier: string, channelId: string, reason: string = SessionReason.REQUESTED): Promise<SessionStatusView> {
    const session = await this.own(clientIdentifier, channelId);
    await notLocal(session.start(reason), channelId);
    return this.status(clientIdentifier, channelId);
  }

  async restart(clientIdentifier: string, channelId: string): Promise<SessionStatusView> {
    const session = await this.own(clientIdentifier, channelId);
    await notLocal(session.restart(SessionReason.REQUESTED), channelId);
    return this.status(clientIdentifier, channelId);
  }

  /** Stops the browser; the link is kept, but boot will not restore it until started again. */
  async stop(clientIdentifier: string, channelId: string): Promise<SessionStatusView> {
    const session = await this.own(clientIdentifier, channelId);
    await session.stop(SessionReason.REQUESTED);
    await session.flushed();
    await this.links.stopped(channelId);
    return this.status(clientIdentifier, channelId);
  }

  /** Unlinks the device and deletes its auth data; the next start shows a QR. */
  async logout(clientIdentifier: string, channelId: string): Promise<SessionStatusView> {
    const session = await this.own(clientIdentifier, channelId);
    await session.logout();
    await session.flushed();
    return this.status(clientIdentifier, channelId);
  }

  /**
   * An 8-character pairing code for linking by phone number instead of the QR; starts the
   * session first when needed. 409 SESSION_ALREADY_CONNECTED, 422 SESSION_NOT_WAITING_FOR_LINK,
   * 422 PAIRING_CODE_FAILED.
   */
  async requestPairingCode(clientIdentifier: string, channelId: string, phoneNumber: string): Promise<string> {
    const digits = phoneNumber.replace(/\D/g, '');
    if (digits.length < 8 || digits.length > 15)
      throw AppError.badRequest('VALIDATION_FAILED', 'phoneNumber must hold 8 to 15 digits with the country code', [
        { field: 'phoneNumber', messages: ['phoneNumber must hold 8 to 15 digits with the country code'] },
      ]);
    const session = await this.own(clientIdentifier, channelId);
    if (!isActive(session.snapshot().state)) await notLocal(session.start(SessionReason.ONBOARDING), channelId);
    try {
      return await session.requestPairingCode(digits);
    } catch (err) {
      if (err instanceof PairingNotPossibleError || err instanceof WaitTimeoutError) {
        if (err.state === 'READY' || err.state === 'AUTHENTICATED')
          throw AppError.conflict(WhatsappErrorCode.SESSION_ALREADY_CONNECTED, 'The session is already linked to a WhatsApp account', { state: err.state });
        throw AppError.unprocessable(WhatsappErrorCode.SESSION_NOT_WAITING_FOR_LINK, err.message, { state: err.state });
      }
      this.logger.warn({ err, channelId }, 'Pairing code request failed');
      throw AppError.unprocessable(WhatsappErrorCode.PAIRING_CODE_FAILED, 'WhatsApp Web did not return a pairing code; try again or scan the QR');
    }
  }

  /** Stops and forgets a deleted channel's session, its link and its stored state. */
  async forget(clientIdentifier: string, channelId: string): Promise<void> {
    const owner = await this.lease.ownerOf(channelId);
    const session = this.sessions.get(channelId);
    if (owner && owner !== this.lease.ownerId) {
      // Routed here only when that process is gone: its lease runs out and adoption skips deleted channels.
      this.logger.warn({ channelId, owner }, 'Deleted channel was run by a process that is gone');
    } else if (session) {
      await session.stop(SessionReason.CHANNEL_DELETED).catch((err: unknown) => this.logger.warn({ err, channelId }, 'Stop failed'));
      await session.flushed();
      this.sessions.delete(channelId);
    }
    await rm(this.dataDirOf(channelId), { recursive: true, force: true, maxRetries: 3 });
    await this.links.forget(channelId);
    await this.repository.remove(clientIdentifier, channelId);
  }


  /**
   * The channel's local session, after taking its lease. 404 for a channel not in the account;
   * 503 SESSION_NOT_LOCAL while another process owns it.
   */
  private async own(clientIdentifier: string, channelId: string): Promise<ChannelSession> {
    await this.directory.getById(clientIdentifier, channelId);
    return this.ownExisting(clientIdentifier, channelId);
  }

  private async ownExisting(clientIdentifier: string, channelId: string): Promise<ChannelSession> {
    if (this.closing) throw new SessionNotLocalError(channelId, 'shutting down');
    if (!this.lease.holds(channelId) && (this.members.isDraining() || this.lease.heldCount() >= this.config.whatsapp.maxPerProcess))
      throw AppError.unavailable(
        WhatsappErrorCode.NO_SESSION_CAPACITY,
        `This server process runs its maximum of sessions (SESSION_MAX_PER_PROCESS=${this.config.whatsapp.maxPerProcess}) or is draining`,
      ).retryAfter(30);
    if (!(await this.lease.acquire(channelId)))
      throw new SessionNotLocalError(channelId, (await this.lease.ownerOf(channelId)) ?? 'unknown');
    let session = this.sessions.get(channelId);
    if (session && (session.isDetached() || session.snapshot().clientIdentifier !== clientIdentifier)) session = undefined;
    if (!session) {
      let record;
      try {
        record = await this.repository.find(clientIdentifier, channelId);
      } catch (err) {
        // No session object will ever release it: give the lease back now.
        await this.lease.release(channelId);
        throw err;
      }
      session = this.create(clientIdentifier, channelId, record);
      this.sessions.set(channelId, session);
    }
    return session;
  }

  private create(clientIdentifier: string, channelId: string, record?: Partial<SessionStatus>): ChannelSession {
    const ctx: EngineContext = { clientIdentifier, channelId };
    const dataDir = this.dataDirOf(channelId);
    return new ChannelSession(
      {
        channelId,
        clientIdentifier,
        linked: record?.linked ?? false,
        autoStart: record?.autoStart ?? false,
        me: record?.me,
        pushname: record?.pushname,
        lastReadyAt: record?.lastReadyAt,
      },
      this.engine,
      { channelId, clientIdentifier, dataDir },
      {
        persist: (status) => this.persist(status),
        changed: (change) => this.changed(change),
        event: (session, event) => this.deliver(ctx, event, session),
        acquireStartPermit: async () => (await this.starts.acquire())[1],
        acquireLease: () => this.lease.acquire(channelId),
        releaseLease: () => this.lease.release(channelId),
        removeAuthData: async () => {
          await rm(dataDir, { recursive: true, force: true, maxRetries: 3 });
          await this.links.forget(channelId);
        },
        prepareProfile: () => this.links.prepare(channelId, this.profileDirOf(channelId)),
        background: this.background ? (fn) => this.background!.run({ channelId, clientIdentifier }, fn) : undefined,
      },
      this.options,
      new Logger(`Session ${channelId}`),
    );
  }

  private persist(status: SessionStatus): Promise<void> {
    return this.repository.write(status.clientIdentifier, status.channelId, {
      state: status.state,
      reason: status.reason,
      qr: status.qr,
      qrExpiresAt: status.qrExpiresAt,
      me: status.me,
      pushname: status.pushname,
      linked: status.linked,
      autoStart: status.autoStart,
      lastReadyAt: status.lastReadyAt,
      owner: this.lease.ownerId,
    });
  }

  private changed(change: StatusChange): void {
    const { status, previousState } = change;
    if (status.reason === SessionReason.LEASE_LOST) {
      // Another process owns the session now and reports its states itself.
      this.links.cancel(status.channelId);
      this.emitter.emit(SESSION_CHANGED, change);
      return;
    }
    if (change.kind === 'state' && status.state === 'READY' && previousState !== 'READY')
      this.links.ready(status.channelId, status.clientIdentifier, this.profileDirOf(status.channelId));
    if (change.kind === 'state' && previousState !== status.state) {
      this.logger.log({ channelId: status.channelId, from: previousState, to: status.state, reason: status.reason }, 'Session state changed');
      this.publishing(this.events.publishAndWait({
        name: DomainEventName.SessionStatus,
        clientIdentifier: status.clientIdentifier,
        channelId: status.channelId,
        occurredAt: status.updatedAt,
        payload: {
          state: status.state,
          previousState,
          reason: status.reason,
          ...(status.state === 'QR' ? { qr: true } : {}),
          ...(status.me ? { me: status.me } : {}),
        },
      }));
    }
    this.bus.publish(change);
    this.emitter.emit(SESSION_CHANGED, change);
  }

  /**
   * Runs a `session.status` publication in the background, remembered until it settles: shutdown
   * waits for them, so the final STOPPED webhooks are recorded before the database closes.
   */
  private publishing(publication: Promise<void>): void {
    const tracked = publication
      .catch((err: unknown) => this.logger.error({ err }, 'session.status handlers failed'))
      .finally(() => this.publications.delete(tracked));
    this.publications.add(tracked);
  }

  private async deliver(ctx: EngineContext, event: InboundEngineEvent, session: EngineSession): Promise<void> {
    this.sink ??= this.resolveSink();
    await this.sink.handle(ctx, event, session);
  }

  private resolveSink(): InboundEventSink {
    try {
      return this.moduleRef.get(InboundEventSink, { strict: false });
    } catch {
      this.logger.warn('No InboundEventSink is registered: engine events are only logged');
      return new LoggingInboundSink();
    }
  }

  private leaseLost(channelId: string): void {
    const session = this.sessions.get(channelId);
    this.sessions.delete(channelId);
    session?.leaseLost();
  }

  // ----------------------------------------------------------------------------- boot and shutdown

  async onApplicationBootstrap(): Promise<void> {
    const stale = await this.engine.boot?.().catch((err: unknown) => this.logger.warn({ err }, 'Clearing stale browsers failed'));
    if (stale) this.logger.warn({ processes: stale }, 'Killed browsers a previous server process left running');
    // Adopting the sessions of processes that died is the cluster's business, whatever this boot restores.
    if (!this.config.whatsapp.restoreOnBoot) return this.scheduleAdoption();
    // In the background: the HTTP server comes up while browsers start.
    this.restoring = this.restoreAll('boot')
      .catch((err: unknown) => this.logger.error({ err }, 'Restoring sessions failed'))
      .finally(() => {
        this.restoring = undefined;
        this.scheduleAdoption();
      });
  }

  /**
   * Starts linked sessions that run nowhere, each on the process placement picks (this one or a peer,
   * through the routed start). Boot: every linked session that should run. Adoption (every quarter of
   * the lease TTL, one process of the cluster at a time): sessions whose process is gone (stored as
   * running, lease expired: killed hard, frozen, cut off) or that a process stopped on its way out
   * without handing them over. Sessions that rest (STOPPED by request, FAILED, LOGGED_OUT) are left alone.
   */
  async restoreAll(mode: 'boot' | 'adopt'): Promise<void> {
    const [records, channels] = await Promise.all([
      this.repository.listRestorable(),
      this.directory.listAllByService('whatsappweb'),
    ]);
    const known = new Set(channels.map((c) => `${c.clientIdentifier}/${c.id}`));
    await this.dropDeletedChannels(known);
    const todo = records.filter(
      (r) =>
        known.has(`${r.clientIdentifier}/${r.channelId}`) &&
        !this.sessions.has(r.channelId) &&
        (mode === 'boot' || orphaned(r, this.config.whatsapp.restoreOnBoot)),
    );
    if (mode === 'boot') this.logger.log({ sessions: todo.length }, 'Restoring linked WhatsApp Web sessions');
    let first = true;
    for (const record of todo) {
      if (this.closing) return;
      if (await this.lease.ownerOf(record.channelId)) continue;
      if (!first) await sleep(this.config.whatsapp.restoreStaggerMs);
      first = false;
      try {
        if (mode === 'adopt') this.logger.warn({ channelId: record.channelId, previousOwner: record.owner }, 'Adopting a session whose server process is gone');
        await this.commands.start(record.clientIdentifier, record.channelId, SessionReason.RESTORED_AT_BOOT);
      } catch (err) {
        if (err instanceof AppError && err.status === 503) this.logger.log({ channelId: record.channelId, code: err.code }, 'Session not restored now: another process runs it or none can');
        else this.logger.error({ err, channelId: record.channelId }, 'Could not restore session');
      }
    }
  }

  /**
   * Local sessions whose channel is gone: deleted through another server process, whose
   * channel hook could not reach this one. Checked one by one (a channel created after the
   * list was read is not gone).
   */
  private async dropDeletedChannels(known: Set<string>): Promise<void> {
    for (const session of [...this.sessions.values()]) {
      const { clientIdentifier, channelId } = session.snapshot();
      if (known.has(`${clientIdentifier}/${channelId}`) || this.closing) continue;
      try {
        await this.directory.getById(clientIdentifier, channelId);
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 404) continue;
        this.logger.warn({ channelId }, 'Channel was deleted elsewhere: stopping and forgetting its session');
        await this.forget(clientIdentifier, channelId).catch((e: unknown) => this.logger.error({ err: e, channelId }, 'Could not forget session'));
      }
    }
  }

  private scheduleAdoption(): void {
    if (this.closing || this.sweeps.isScheduled(ADOPTION)) return;
    this.sweeps.every(ADOPTION, adoptionIntervalMs(this.config.whatsapp.leaseTtlMs), () => this.adopt(), { logger: this.logger });
  }

  /** One adoption pass in the whole cluster at a time (a Redis key): the pass places orphans on every process. */
  private async adopt(): Promise<void> {
    if (this.restoring || this.closing || this.members.isDraining()) return;
    const ttl = adoptionIntervalMs(this.config.whatsapp.leaseTtlMs) * 4;
    const token = this.lease.ownerId;
    if ((await this.redisClient.redis.set(this.adoptionKey, token, 'PX', ttl, 'NX')) !== 'OK') return;
    this.restoring = this.restoreAll('adopt')
      .catch((err: unknown) => this.logger.error({ err }, 'Adopting orphaned sessions failed'))
      .finally(() => (this.restoring = undefined));
    await this.restoring;
    await this.redisClient.redis.eval(RELEASE_IF_MINE, 1, this.adoptionKey, token).catch(() => undefined);
  }

  // ----------------------------------------------------------------------------- hand-over

  /**
   * Drains this process (admin API, a deploy): it takes no new sessions and hands each of its own to
   * the process placement picks, one stop and one routed start each. Resolves with how many moved.
   */
  drain(): Promise<number> {
    this.draining ??= this.handOverAll(SessionReason.DRAINING).finally(() => (this.draining = undefined));
    return this.draining;
  }

  /** Ends a drain: the process takes sessions again (it gets back none of those it handed over). */
  async resume(): Promise<void> {
    if (!this.closing) await this.members.setDraining(false);
  }

  private async handOverAll(reason: string): Promise<number> {
    await this.members.setDraining(true);
    const moved = await Promise.all([...this.sessions.values()].map((s) => this.handOver(s, reason)));
    return moved.filter(Boolean).length;
  }

  /**
   * Stops one session here (its events drained into the sink, its lease released) and starts it on
   * another process at once, without waiting for the lease TTL. With no other process, it stays
   * STOPPED with autoStart: the next process to boot or pass adoption starts it.
   */
  private async handOver(session: ChannelSession, reason: string): Promise<boolean> {
    const { clientIdentifier, channelId, state, autoStart } = session.snapshot();
    const wasRunning = isActive(state) || state === 'DISCONNECTED';
    await session.stop(reason, true).catch((err: unknown) => this.logger.warn({ err, channelId }, 'Stop for hand-over failed'));
    await session.flushed();
    // The link as the closed browser left it, stored before the next process restores it.
    await this.links.stopped(channelId);
    this.sessions.delete(channelId);
    if (!wasRunning || !autoStart) return false;
    try {
      await this.commands.start(clientIdentifier, channelId, SessionReason.HANDED_OVER);
      this.logger.log({ channelId }, 'Session handed over to another server process');
      return true;
    } catch (err) {
      const why = err instanceof AppError ? err.code : String(err);
      this.logger.log({ channelId, why }, 'No other process took the session over; it starts with the next boot or adoption pass');
      return false;
    }
  }

  beforeApplicationShutdown(): Promise<void> {
    this.shuttingDown ??= this.stopAll();
    return this.shuttingDown;
  }

  /**
   * Stops every local session (each closes its event source and drains its events into the
   * inbound sink first), then waits for their final `session.status` events to be recorded.
   * Idempotent: the ordered shutdown calls it before Nest's hooks do.
   */
  shutdown(): Promise<void> {
    return this.beforeApplicationShutdown();
  }

  private async stopAll(): Promise<void> {
    // Not awaited here: a pass in flight sees `closing` and ends; `this.restoring` is awaited below.
    void this.sweeps.stop(ADOPTION);
    // Hand every session to another process before closing (a rolling deploy keeps channels online).
    // `closing` comes after: the hand-over's routed starts must still be able to leave this process.
    await this.draining;
    await this.handOverAll(SessionReason.SHUTDOWN).catch((err: unknown) => this.logger.warn({ err }, 'Hand-over at shutdown failed'));
    this.closing = true;
    this.bus.close();
    const sessions = [...this.sessions.values()];
    await Promise.all(
      sessions.map(async (s) => {
        await s.stop(SessionReason.SHUTDOWN, true).catch((err: unknown) => this.logger.warn({ err, channelId: s.channelId }, 'Stop at shutdown failed'));
        await s.flushed();
        await this.links.stopped(s.channelId);
      }),
    );
    this.sessions.clear();
    await this.engine.shutdown?.();
    await this.restoring;
    while (this.publications.size > 0) await Promise.all([...this.publications]);
  }

  /** Counts of local sessions per state (metrics, readiness). */
  countsByState(): Record<SessionState, number> {
    const counts = { STOPPED: 0, STARTING: 0, QR: 0, AUTHENTICATED: 0, READY: 0, DISCONNECTED: 0, FAILED: 0, LOGGED_OUT: 0 };
    for (const s of this.sessions.values()) counts[s.snapshot().state]++;
    return counts;
  }
}

/** 503 SESSION_NOT_LOCAL: another process took the session while a command was on its way here (the router retries once). */
export class SessionNotLocalError extends AppError {
  constructor(
    readonly channelId: string,
    readonly owner: string,
  ) {
    super(
      HttpStatus.SERVICE_UNAVAILABLE,
      WhatsappErrorCode.SESSION_NOT_LOCAL,
      `The session of channel ${channelId} runs in another server process; retry against that process`,
    );
  }
}

/** A start that found the lease taken (between our check and the session's lock) is a 503 too. */
async function notLocal(command: Promise<void>, channelId: string): Promise<void> {
  try {
    await command;
  } catch (err) {
    if (err instanceof LeaseUnavailableError) throw new SessionNotLocalError(channelId, 'another process');
    throw err;
  }
}

/**
 * A session a process left running (dead, frozen), or stopped on its way out without handing it over
 * (those only when sessions are restored at boot: SESSION_RESTORE_ON_BOOT=false keeps them stopped).
 */
function orphaned(record: { state: SessionState; reason?: string }, restoreStopped: boolean): boolean {
  if (isActive(record.state) || record.state === 'DISCONNECTED') return true;
  return restoreStopped && record.state === 'STOPPED' && (record.reason === SessionReason.SHUTDOWN || record.reason === SessionReason.DRAINING);
}

/** Orphans are looked for four times per lease TTL: adoption follows the lease's expiry closely. */
function adoptionIntervalMs(leaseTtlMs: number): number {
  return Math.max(1_000, Math.floor(leaseTtlMs / 4));
}

const RELEASE_IF_MINE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
