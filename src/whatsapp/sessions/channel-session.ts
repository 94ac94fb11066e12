import { Logger } from '@nestjs/common';
import { Mutex } from 'async-mutex';
import type {
  EngineListener,
  EngineSession,
  InboundEngineEvent,
  MessagingEngine,
  SessionSpec,
} from '../engine/messaging-engine.port';
import { withDeadline } from './with-deadline';
import { canTransition, isActive, SessionReason, SessionState } from './session-state';

/** A channel's session as this process sees it. */
export interface SessionStatus {
  channelId: string;
  clientIdentifier: string;
  state: SessionState;
  reason?: string;
  /** QR text while in state QR. */
  qr?: string;
  /** When the QR shown is expected to be replaced (WhatsApp rotates it). */
  qrExpiresAt?: Date;
  /** The last pairing code asked for, while waiting for the link. */
  pairingCode?: string;
  me?: string;
  pushname?: string;
  linked: boolean;
  autoStart: boolean;
  lastReadyAt?: Date;
  /** When the next automatic restart is due (DISCONNECTED, FAILED). */
  retryAt?: Date;
  updatedAt: Date;
}

/** `state`: the state changed; `qr`: a new QR in state QR; `pairing_code`: a new pairing code. */
export type StatusChangeKind = 'state' | 'qr' | 'pairing_code';

export interface StatusChange {
  kind: StatusChangeKind;
  previousState: SessionState;
  status: SessionStatus;
}

/** What a channel session needs from the session manager. */
export interface ChannelSessionHooks {
  /** Writes the status to the store (called in order, one at a time). */
  persist(status: SessionStatus): Promise<void>;
  /** Every change, synchronously, for domain events and live streams. */
  changed(change: StatusChange): void;
  /** One engine event; awaited serially so order holds. */
  event(session: EngineSession, event: InboundEngineEvent): Promise<void>;
  /** A permit from the start limiter; the session calls the returned function when done. */
  acquireStartPermit(): Promise<() => void>;
  /** Takes (or renews) the ownership lease; false when another process holds it. */
  acquireLease(): Promise<boolean>;
  releaseLease(): Promise<void>;
  /** Deletes the browser profile (the link) from the data volume. */
  removeAuthData(): Promise<void>;
  /** Readies the browser profile before a browser starts on it (restores the stored link). Never throws. */
  prepareProfile?(): Promise<void>;
  /**
   * Runs the browser's life (boot, QR, restarts) in the session's own logging context rather
   * than in that of the request that happened to start it. Absent: runs `fn` as it is.
   */
  background?<T>(fn: () => T): T;
}

export interface ChannelSessionOptions {
  /** STARTING/AUTHENTICATED must reach READY (or a QR) within this time, else restart. */
  readyTimeoutMs: number;
  /** Nobody linked within this time of the first QR: stop (QR_TIMEOUT). */
  qrTimeoutMs: number;
  /** No new QR for this long while waiting for a scan: WhatsApp Web went idle, restart. */
  qrStallMs: number;
  /** How long one QR is shown before WhatsApp replaces it (for `qrExpiresAt`). */
  qrTtlMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Consecutive failed starts or disconnects before giving up (state FAILED, reason GAVE_UP). */
  maxRestarts: number;
  /** After a phone logout, wait this long for the library to settle before closing the browser. */
  logoutSettleMs: number;
  /** …or this long after the new QR it shows once settled. */
  logoutQrGraceMs: number;
  /** Bound on closing a browser before its processes are killed. */
  stopTimeoutMs: number;
}

export const DEFAULT_SESSION_OPTIONS: ChannelSessionOptions = {
  readyTimeoutMs: 90_000,
  qrTimeoutMs: 300_000,
  qrStallMs: 90_000,
  qrTtlMs: 20_000,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
  maxRestarts: 10,
  logoutSettleMs: 10_000,
  logoutQrGraceMs: 1_500,
  stopTimeoutMs: 15_000,
};

type Patch = Partial<Omit<SessionStatus, 'channelId' | 'clientIdentifier' | 'state' | 'updatedAt'>>;

/** Restart causes reported as FAILED (the start did not work); the rest are DISCONNECTED. */
const FAILED_REASONS = new Set<string>([SessionReason.START_FAILED, SessionReason.READY_TIMEOUT]);

/** Disconnect reasons after which the device link is gone (the phone removed this device). */
const UNLINKED = new Set(['LOGOUT', 'UNPAIRED', 'UNPAIRED_IDLE']);

/**
 * One WhatsApp Web channel's session: an explicit state machine around one engine session at
 * a time. Commands (start, stop, logout, restart) run under a per-channel lock. Engine
 * callbacks carry the generation of the engine session they came from, so a late event of
 * a browser already closed can never move the state. A watchdog restarts a session that never
 * becomes ready; crashes and disconnects restart with capped exponential backoff.
 */
export class ChannelSession {
  private status: SessionStatus;
  private engineSession?: EngineSession;
  private generation = 0;
  /** async-mutex: FIFO, so commands run in the order they were given. */
  private readonly lock = new Mutex();
  private watchdog?: NodeJS.Timeout;
  private qrDeadline?: NodeJS.Timeout;
  private restartTimer?: NodeJS.Timeout;
  private logoutTimer?: NodeJS.Timeout;
  private pendingLogoutGeneration?: number;
  /** First QR of the current linking attempt (kept across stall restarts for QR_TIMEOUT). */
  private qrWaitStartedAt?: number;
  private failures = 0;
  private releasePermit?: () => void;
  /** Engine events reach the sink one at a time, in the order WhatsApp Web handed them over. */
  private readonly events = new Mutex();
  /** Status writes are stored one at a time, in order. */
  private readonly writes = new Mutex();
  private readonly waiters = new Set<() => void>();
  private detached = false;

  constructor(
    initial: Pick<SessionStatus, 'channelId' | 'clientIdentifier'> & Partial<SessionStatus>,
    private readonly engine: MessagingEngine,
    private readonly spec: SessionSpec,
    private readonly hooks: ChannelSessionHooks,
    private readonly options: ChannelSessionOptions = DEFAULT_SESSION_OPTIONS,
    private readonly logger = new Logger(`Session ${initial.channelId}`),
  ) {
    this.status = {
      linked: false,
      autoStart: false,
      ...initial,
      state: 'STOPPED',
      updatedAt: initial.updatedAt ?? new Date(),
    };
  }

  get channelId(): string {
    return this.status.channelId;
  }

  snapshot(): SessionStatus {
    return { ...this.status };
  }

  /** The live engine session when READY. */
  readySession(): EngineSession | undefined {
    return this.status.state === 'READY' ? this.engineSession : undefined;
  }

  /** The engine session whatever its state (sandbox control acts before READY). */
  currentSession(): EngineSession | undefined {
    return this.engineSession;
  }

  /** True once the lease was lost: the manager drops this object. */
  isDetached(): boolean {
    return this.detached;
  }

  // ------------------------------------------------------------------------------ commands

  /** Starts the browser (idempotent). Rejects with LeaseUnavailableError when another process owns the session. */
  start(reason: string = SessionReason.REQUESTED): Promise<void> {
    return this.lock.runExclusive(async () => {
      if (this.engineSession && isActive(this.status.state)) return;
      this.clearRestart();
      await this.teardown();
      // Under the lock: a release by an earlier command (stop, logout…) cannot land after this.
      if (!(await this.hooks.acquireLease())) throw new LeaseUnavailableError(this.channelId);
      this.failures = 0;
      this.qrWaitStartedAt = undefined;
      this.launch(reason);
    });
  }

  stop(reason: string = SessionReason.REQUESTED, keepAutoStart = false): Promise<void> {
    return this.lock.runExclusive(async () => {
      this.clearRestart();
      await this.teardown();
      this.qrWaitStartedAt = undefined;
      this.setState('STOPPED', reason, { autoStart: keepAutoStart ? this.status.autoStart : false });
      await this.hooks.releaseLease();
    });
  }

  restart(reason: string = SessionReason.REQUESTED): Promise<void> {
    return this.lock.runExclusive(async () => {
      this.clearRestart();
      await this.teardown();
      if (this.status.state !== 'STOPPED') this.setState('STOPPED', reason, {});
      if (!(await this.hooks.acquireLease())) {
        await this.hooks.releaseLease();
        throw new LeaseUnavailableError(this.channelId);
      }
      this.failures = 0;
      this.qrWaitStartedAt = undefined;
      this.launch(reason);
    });
  }

  /** Unlinks the device: the next start needs a new scan. */
  logout(reason: string = SessionReason.LOGGED_OUT_BY_REQUEST): Promise<void> {
    return this.lock.runExclusive(async () => {
      this.clearRestart();
      const session = this.engineSession;
      if (session && this.status.state === 'READY') {
        this.detachEngine();
        try {
          await withDeadline(session.logout(), this.options.stopTimeoutMs, 'logout timed out');
        } catch (err) {
          this.logger.warn({ err }, 'Logout through WhatsApp Web failed; removing the link locally');
        }
        await this.stopEngine(session);
      } else {
        await this.teardown();
      }
      await this.hooks.removeAuthData();
      this.setState('LOGGED_OUT', reason, { linked: false, autoStart: false, me: undefined, pushname: undefined });
      await this.hooks.releaseLease();
    });
  }

  /** Asks WhatsApp for an 8-character pairing code for `phoneNumber` (instead of the QR). */
  async requestPairingCode(phoneNumber: string, waitMs = 30_000): Promise<string> {
    if (this.status.state === 'STARTING') await this.waitFor((s) => s.state !== 'STARTING', waitMs);
    const session = this.engineSession;
    if (!session || this.status.state !== 'QR') throw new PairingNotPossibleError(this.status.state);
    const code = await session.requestPairingCode(phoneNumber);
    // The QR stops rotating while a code is pending; only the overall deadline applies now.
    this.clearWatchdog();
    if (this.status.pairingCode !== code) this.update('pairing_code', { pairingCode: code });
    return code;
  }

  /** The lease moved to another process: close the browser at once, write nothing. */
  leaseLost(): void {
    this.detached = true;
    this.generation++;
    this.clearRestart();
    this.clearTimers();
    const session = this.detachEngine();
    if (session) void this.stopEngine(session);
    const previousState = this.status.state;
    this.status = { ...this.status, state: 'STOPPED', reason: SessionReason.LEASE_LOST, qr: undefined, qrExpiresAt: undefined, updatedAt: new Date() };
    this.hooks.changed({ kind: 'state', previousState, status: this.snapshot() });
  }

  /** Resolves when `predicate` holds for the status (checked on every change). */
  waitFor(predicate: (s: SessionStatus) => boolean, timeoutMs: number): Promise<SessionStatus> {
    if (predicate(this.status)) return Promise.resolve(this.snapshot());
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!predicate(this.status)) return;
        cleanup();
        resolve(this.snapshot());
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new WaitTimeoutError(this.status.state, timeoutMs));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  /** Resolves once every status write is stored (none queued, none running). */
  flushed(): Promise<void> {
    return this.writes.waitForUnlock();
  }

  // ------------------------------------------------------------------------------ lifecycle

  /** Caller holds the lock. Creates the engine session and boots it in the background. */
  private launch(reason: string): void {
    if (this.hooks.background) this.hooks.background(() => this.launchHere(reason));
    else this.launchHere(reason);
  }

  private launchHere(reason: string): void {
    const generation = ++this.generation;
    this.setState('STARTING', reason, { autoStart: true, pairingCode: undefined });
    const source: { session?: EngineSession } = {};
    const session = this.engine.createSession(this.spec, this.listener(generation, source));
    source.session = session;
    this.engineSession = session;
    void this.boot(generation, session);
  }

  private async boot(generation: number, session: EngineSession): Promise<void> {
    const release = await this.hooks.acquireStartPermit();
    if (generation !== this.generation) return release();
    this.releasePermit = release;
    await this.hooks.prepareProfile?.();
    if (generation !== this.generation) return this.freePermit();
    this.armWatchdog(generation, this.options.readyTimeoutMs, SessionReason.READY_TIMEOUT);
    try {
      await session.start();
    } catch (err) {
      this.logger.warn({ err }, 'Session failed to start');
      await this.fail(generation, SessionReason.START_FAILED, errorText(err));
    }
  }

  /** `source.session` is the engine session the listener belongs to (set right after it is created). */
  private listener(generation: number, source: { session?: EngineSession }): EngineListener {
    const current = () => generation === this.generation;
    return {
      onQr: (qr) => {
        if (this.pendingLogoutGeneration === generation) {
          // The library is still injecting into the reloaded page; let it finish first.
          clearTimeout(this.logoutTimer);
          this.logoutTimer = setTimeout(() => void this.finishPhoneLogout(generation), this.options.logoutQrGraceMs);
          return;
        }
        if (!current()) return;
        this.freePermit();
        const first = this.status.state !== 'QR';
        if (first) {
          this.qrWaitStartedAt ??= Date.now();
          const left = Math.max(0, this.qrWaitStartedAt + this.options.qrTimeoutMs - Date.now());
          clearTimeout(this.qrDeadline);
          this.qrDeadline = setTimeout(() => void this.qrTimedOut(generation), left);
        }
        if (!this.status.pairingCode) this.armWatchdog(generation, this.options.qrStallMs, SessionReason.QR_STALLED);
        const patch: Patch = { qr, qrExpiresAt: new Date(Date.now() + this.options.qrTtlMs), linked: false };
        if (first) this.setState('QR', SessionReason.QR_RECEIVED, patch);
        else this.update('qr', patch);
      },
      onPairingCode: (code) => {
        if (current() && this.status.pairingCode !== code) this.update('pairing_code', { pairingCode: code });
      },
      onAuthenticated: () => {
        if (!current() || this.status.state === 'READY') return;
        clearTimeout(this.qrDeadline);
        this.armWatchdog(generation, this.options.readyTimeoutMs, SessionReason.READY_TIMEOUT);
        this.setState('AUTHENTICATED', SessionReason.AUTHENTICATED, { qr: undefined, qrExpiresAt: undefined, pairingCode: undefined });
      },
      onReady: (info) => {
        if (!current()) return;
        this.freePermit();
        this.clearTimers();
        this.failures = 0;
        this.qrWaitStartedAt = undefined;
        this.setState('READY', SessionReason.CONNECTED, {
          me: info.wid,
          pushname: info.pushname,
          linked: true,
          autoStart: true,
          lastReadyAt: new Date(),
          qr: undefined,
          qrExpiresAt: undefined,
          pairingCode: undefined,
        });
      },
      onDisconnected: (reason) => {
        if (!current()) return;
        this.logger.warn({ reason, state: this.status.state }, 'Session disconnected');
        if (reason === 'LOGOUT') return this.phoneLogout(generation);
        if (UNLINKED.has(reason)) return void this.unlinked(generation, reason);
        if (reason === 'CONFLICT') return void this.fail(generation, SessionReason.CONFLICT, 'WhatsApp Web was opened elsewhere with this session');
        const crashed = /BROWSER|PAGE|CRASH/i.test(reason);
        return void this.fail(generation, crashed ? SessionReason.BROWSER_CRASHED : reason, reason);
      },
      // Whatever the session's state (stopping, restarting, lease lost): an event WhatsApp Web
      // handed over is journaled. Only lifecycle callbacks are fenced by the generation.
      onEvent: (event) => {
        const session = source.session;
        if (!session) return;
        this.events
          .runExclusive(() => this.hooks.event(session, event))
          .catch((err: unknown) => this.logger.error({ err, type: event.type }, 'Inbound event handler failed'));
      },
    };
  }

  /**
   * A failed start, a watchdog timeout, a crash or a CONFLICT: close the browser, then restart
   * after a capped exponential backoff, or give up after `maxRestarts` in a row.
   */
  private fail(generation: number, reason: string, detail: string): Promise<void> {
    return this.lock.runExclusive(async () => {
      if (generation !== this.generation) return;
      await this.teardown();
      this.failures++;
      if (this.failures > this.options.maxRestarts) {
        this.setState('FAILED', SessionReason.GAVE_UP, { reason: `${SessionReason.GAVE_UP}: ${reason} (${detail})` });
        await this.hooks.releaseLease();
        return;
      }
      const delay = Math.min(this.options.backoffMaxMs, this.options.backoffBaseMs * 2 ** (this.failures - 1));
      const next: SessionState = FAILED_REASONS.has(reason) ? 'FAILED' : 'DISCONNECTED';
      const retryAt = new Date(Date.now() + delay);
      this.setState(next, reason, { retryAt, qr: undefined, qrExpiresAt: undefined });
      this.restartTimer = setTimeout(() => {
        this.restartTimer = undefined;
        void this.lock.runExclusive(async () => {
          if (this.engineSession || (this.status.state !== 'DISCONNECTED' && this.status.state !== 'FAILED')) return;
          if (await this.hooks.acquireLease().catch(() => false)) this.launch(SessionReason.RESTARTING);
          else this.leaseLost();
        });
      }, delay);
    });
  }

  private qrTimedOut(generation: number): Promise<void> {
    return this.lock.runExclusive(async () => {
      if (generation !== this.generation || this.status.state !== 'QR') return;
      await this.teardown();
      this.qrWaitStartedAt = undefined;
      this.setState('STOPPED', SessionReason.QR_TIMEOUT, { autoStart: false });
      await this.hooks.releaseLease();
    });
  }

  /**
   * The phone logged this device out. The library reports it, wipes its auth data and
   * re-injects for a new QR on the same browser; closing the browser in the middle of that
   * rejects inside the library (an unhandled rejection), so wait until shortly after the new
   * QR (or a settle time) first.
   */
  private phoneLogout(generation: number): void {
    this.pendingLogoutGeneration = generation;
    this.clearTimers();
    this.setState('LOGGED_OUT', SessionReason.LOGGED_OUT_BY_PHONE, { linked: false, autoStart: false, qr: undefined, qrExpiresAt: undefined });
    this.logoutTimer = setTimeout(() => void this.finishPhoneLogout(generation), this.options.logoutSettleMs);
  }

  private finishPhoneLogout(generation: number): Promise<void> {
    if (this.pendingLogoutGeneration !== generation) return Promise.resolve();
    clearTimeout(this.logoutTimer);
    return this.lock.runExclusive(async () => {
      if (this.pendingLogoutGeneration !== generation) return;
      await this.teardown();
      await this.hooks.releaseLease();
    });
  }

  /** The phone removed this device (UNPAIRED): the library already closes the browser. */
  private unlinked(generation: number, reason: string): Promise<void> {
    return this.lock.runExclusive(async () => {
      if (generation !== this.generation) return;
      await this.teardown();
      await this.hooks.removeAuthData();
      this.setState('LOGGED_OUT', SessionReason.LOGGED_OUT_BY_PHONE, { linked: false, autoStart: false, me: undefined, reason: `${SessionReason.LOGGED_OUT_BY_PHONE} (${reason})` });
      await this.hooks.releaseLease();
    });
  }

  // ------------------------------------------------------------------------------ helpers

  /**
   * Invalidates the current engine session and closes its browser. Caller holds the lock.
   * Order matters for inbound events: the engine closes its source first (no new event, the
   * ones in flight handed over), the handed-over events are drained into the sink, and only
   * then is the session gone (see stopEngine).
   */
  private async teardown(): Promise<void> {
    this.clearTimers();
    const session = this.detachEngine();
    if (session) await this.stopEngine(session);
    if (this.pendingLogoutGeneration !== undefined) {
      // A phone logout was still settling: its link is gone, so is its profile.
      this.pendingLogoutGeneration = undefined;
      await this.hooks.removeAuthData();
    }
  }

  private detachEngine(): EngineSession | undefined {
    this.generation++;
    this.freePermit();
    const session = this.engineSession;
    this.engineSession = undefined;
    return session;
  }

  /** Closes the browser, then waits until every event it handed over reached the sink. */
  private async stopEngine(session: EngineSession): Promise<void> {
    try {
      await withDeadline(session.stop(), this.options.stopTimeoutMs, 'stop timed out');
    } catch (err) {
      this.logger.warn({ err }, 'Closing the browser failed');
    }
    await this.drained();
  }

  /** Resolves once every engine event handed over was given to the sink (none queued, none running). */
  drained(): Promise<void> {
    return this.events.waitForUnlock();
  }

  private freePermit(): void {
    this.releasePermit?.();
    this.releasePermit = undefined;
  }

  private armWatchdog(generation: number, ms: number, reason: string): void {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      this.logger.warn({ reason, state: this.status.state, ms }, 'Watchdog: session did not progress, restarting');
      void this.fail(generation, reason, `no progress in state ${this.status.state} for ${ms} ms`);
    }, ms);
  }

  private clearWatchdog(): void {
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }

  private clearTimers(): void {
    this.clearWatchdog();
    clearTimeout(this.qrDeadline);
    clearTimeout(this.logoutTimer);
    this.qrDeadline = undefined;
    this.logoutTimer = undefined;
  }

  private clearRestart(): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  private setState(state: SessionState, reason: string, patch: Patch): void {
    const previousState = this.status.state;
    if (previousState !== state && !canTransition(previousState, state)) {
      this.logger.error({ from: previousState, to: state, reason }, 'Illegal session state transition refused');
      return;
    }
    const retryAt = state === 'DISCONNECTED' || state === 'FAILED' ? patch.retryAt : undefined;
    this.status = {
      ...this.status,
      ...(isActive(state) ? {} : { qr: undefined, qrExpiresAt: undefined, pairingCode: undefined }),
      reason,
      ...patch,
      retryAt,
      state,
      updatedAt: new Date(),
    };
    this.emit(previousState === state ? 'qr' : 'state', previousState);
  }

  private update(kind: StatusChangeKind, patch: Patch): void {
    const previousState = this.status.state;
    this.status = { ...this.status, ...patch, updatedAt: new Date() };
    this.emit(kind, previousState);
  }

  private emit(kind: StatusChangeKind, previousState: SessionState): void {
    const status = this.snapshot();
    this.writes
      .runExclusive(() => this.hooks.persist(status))
      .catch((err: unknown) => this.logger.error({ err }, 'Could not store the session status'));
    try {
      this.hooks.changed({ kind, previousState, status });
    } catch (err) {
      this.logger.error({ err }, 'Session status listener failed');
    }
    for (const waiter of [...this.waiters]) waiter();
  }
}

export class PairingNotPossibleError extends Error {
  constructor(readonly state: SessionState) {
    super(`A pairing code can only be requested while the session waits for a link (state is ${state})`);
  }
}

export class LeaseUnavailableError extends Error {
  constructor(readonly channelId: string) {
    super(`Another server process owns the session of channel ${channelId}`);
  }
}

export class WaitTimeoutError extends Error {
  constructor(
    readonly state: SessionState,
    readonly timeoutMs: number,
  ) {
    super(`Timed out after ${timeoutMs} ms; the session is ${state}`);
  }
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0].slice(0, 300);
  return String(err).slice(0, 300);
}
