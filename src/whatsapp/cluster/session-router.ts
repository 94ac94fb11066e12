import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { ChannelDirectory } from '../sessions/channel-directory';
import { SessionLease } from '../sessions/session-lease';
import { WhatsappErrorCode } from '../whatsapp.errors';
import { ClusterMembers } from './cluster-members';
import { CommandBus } from './command-bus';

/**
 * `start`: the command may launch the browser, so a session that runs nowhere is placed on the least
 * loaded process first. `owner`: the command acts on a running session; with no owner it runs here
 * (and answers what the stored state says: not ready, stopped…). `cleanup`: like `owner`, for a channel
 * that may already be gone from the store (deletion), and run here when the owner is gone too.
 */
export type Placement = 'start' | 'owner' | 'cleanup';

// Handlers take the account and channel first, then their own arguments.
type Routable = (clientIdentifier: string, channelId: string, ...args: any[]) => Promise<unknown>;

interface Forwarded {
  clientIdentifier: string;
  channelId: string;
  args: unknown[];
}

/**
 * Makes every process answer every session command. A command for a channel runs where its session
 * runs: here when this process holds the lease, else forwarded over the CommandBus to the owner, whose
 * answer (or error) is returned as is. A session that runs nowhere starts on the process placement
 * picks (ClusterMembers.choose). Only when nobody can run it does the caller get a 503 with Retry-After:
 * SESSION_MOVING (its process died; the lease runs out within the TTL and the session is adopted),
 * NO_SESSION_CAPACITY (every process full or draining), SESSION_OWNER_UNREACHABLE (no answer in time).
 */
@Injectable()
export class SessionRouter implements OnModuleInit {
  private readonly logger = new Logger(SessionRouter.name);
  private readonly handlers = new Map<string, Routable>();

  constructor(
    private readonly bus: CommandBus,
    private readonly members: ClusterMembers,
    private readonly lease: SessionLease,
    private readonly directory: ChannelDirectory,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.bus.serve((name, payload) => this.serveForwarded(name, payload as Forwarded));
  }

  /**
   * Registers `methods` of `target` as commands `<scope>.<method>` (what other processes may ask this
   * one to run) and returns the routed versions, with the same signatures, for callers to use.
   */
  expose<T extends object, K extends keyof T & string>(scope: string, target: T, methods: Record<K, Placement>): Pick<T, K> {
    const routed = {} as Record<string, Routable>;
    for (const [method, placement] of Object.entries(methods) as [K, Placement][]) {
      const name = `${scope}.${method}`;
      const local = (target[method] as unknown as Routable).bind(target);
      this.handlers.set(name, local);
      routed[method] = (clientIdentifier, channelId, ...args) => this.run(name, clientIdentifier, channelId, args, placement);
    }
    return routed as unknown as Pick<T, K>;
  }

  /** Runs a registered command where the channel's session runs (or should). */
  async run<T>(name: string, clientIdentifier: string, channelId: string, args: unknown[], placement: Placement): Promise<T> {
    const local = this.handlers.get(name);
    if (!local) throw new Error(`Unknown session command ${name}`);
    // Not the account's channel: 404 here, before any hop.
    if (placement !== 'cleanup') await this.directory.getById(clientIdentifier, channelId);
    for (let attempt = 1; ; attempt++) {
      const target = await this.where(channelId, placement);
      if (target === 'here') return (await local(clientIdentifier, channelId, ...args)) as T;
      try {
        const answer = await this.bus.call<T>(target, name, { clientIdentifier, channelId, args } satisfies Forwarded, this.config.whatsapp.forwardTimeoutMs);
        return seenFromHere(answer);
      } catch (err) {
        // The session moved between our look-up and the owner's turn (handed over, lease lost): look again once.
        if (attempt === 1 && err instanceof AppError && (err.code === WhatsappErrorCode.SESSION_NOT_LOCAL || err.code === WhatsappErrorCode.NO_SESSION_CAPACITY)) continue;
        throw err;
      }
    }
  }

  /** The process that should run a command on the channel: 'here' or another process's id. */
  private async where(channelId: string, placement: Placement): Promise<'here' | string> {
    // Ours (a fresh lease): no Redis round trip, so commands on this process's sessions work through a Redis outage.
    if (this.lease.holds(channelId)) return 'here';
    const owner = await this.lease.ownerOf(channelId);
    if (owner === this.lease.ownerId) return 'here';
    if (owner) {
      if (await this.members.isLive(owner)) return owner;
      if (placement === 'cleanup') return 'here';
      const ms = await this.lease.remainingMs(channelId);
      throw AppError.unavailable(
        WhatsappErrorCode.SESSION_MOVING,
        `The server process that ran the session of channel ${channelId} is gone; another takes it over within ${Math.ceil(ms / 1000) + 1} s`,
      ).retryAfter(ms / 1000 + 1);
    }
    if (placement === 'owner') return 'here';
    const members = await this.members.list();
    // Not in the list (Redis lost our entry a moment ago): nobody to ask, run it here.
    if (!members.some((m) => m.id === this.members.id)) return 'here';
    const target = await this.members.choose();
    if (!target)
      throw AppError.unavailable(
        WhatsappErrorCode.NO_SESSION_CAPACITY,
        `Every server process runs its maximum of sessions (SESSION_MAX_PER_PROCESS) or is draining; channel ${channelId} cannot start now`,
      ).retryAfter(30);
    return target === this.members.id ? 'here' : target;
  }

  /** A command about this process itself (drain, resume) that an operator may send through any process. */
  handleProcessCommand(name: string, run: () => Promise<unknown>): void {
    this.handlers.set(name, () => run());
  }

  /** Runs a process command on process `target` (this one or another). */
  async onProcess<T>(target: string, name: string): Promise<T> {
    const local = this.handlers.get(name);
    if (!local) throw new Error(`Unknown process command ${name}`);
    if (target === this.members.id) return (await local('', '')) as T;
    return this.bus.call<T>(target, name, { clientIdentifier: '', channelId: '', args: [] } satisfies Forwarded, this.config.whatsapp.forwardTimeoutMs);
  }

  /** A command another process forwarded: it runs here, never forwarded again. */
  private async serveForwarded(name: string, payload: Forwarded): Promise<unknown> {
    const local = this.handlers.get(name);
    if (!local) throw AppError.unavailable(WhatsappErrorCode.SESSION_OWNER_UNREACHABLE, `This server process does not know the command ${name}`).retryAfter(5);
    this.logger.debug({ name, channelId: payload.channelId }, 'Running a forwarded session command');
    return local(payload.clientIdentifier, payload.channelId, ...payload.args);
  }
}

/** A status the owner reported as its own (`owner: 'local'`) is, seen from here, remote. */
function seenFromHere<T>(answer: T): T {
  if (answer && typeof answer === 'object' && (answer as { owner?: unknown }).owner === 'local') return { ...answer, owner: 'remote' };
  return answer;
}
