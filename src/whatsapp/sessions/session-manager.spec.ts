import { Logger } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppError } from '../../common/errors/app-error';
import { DomainEvent, DomainEvents } from '../../common/events/domain-events';
import { SweepScheduler } from '../../common/scheduling/sweep-scheduler';
import { AppConfig } from '../../config/app-config';
import { FakeMessagingEngine } from '../engine/fake/fake-engine';
import { InboundEventSink } from '../engine/inbound-sink.port';
import { ChannelDirectory, ChannelRef } from './channel-directory';
import { RedisClient } from '../../redis/redis.module';
import { AuthSnapshots } from '../auth-snapshots/auth-snapshots';
import { LinkKeeper } from '../auth-snapshots/link-keeper';
import { ClusterMembers } from '../cluster/cluster-members';
import { CommandBus } from '../cluster/command-bus';
import { SessionRouter } from '../cluster/session-router';
import { SessionLease } from './session-lease';
import { SessionManager } from './session-manager';
import { SessionStatusBus } from './session-status-bus';
import { SessionRecord, SessionsRepository, SessionWrite } from './sessions.repository';

const ACC = 'acc';

class MemoryRepo {
  readonly docs = new Map<string, SessionRecord>();
  async find(clientIdentifier: string, channelId: string) {
    const d = this.docs.get(channelId);
    return d && d.clientIdentifier === clientIdentifier ? { ...d } : undefined;
  }
  async write(clientIdentifier: string, channelId: string, w: SessionWrite) {
    const prev = this.docs.get(channelId);
    this.docs.set(channelId, { linked: false, autoStart: false, ...prev, ...w, clientIdentifier, channelId, updatedAt: new Date() } as SessionRecord);
  }
  async remove(_c: string, channelId: string) {
    this.docs.delete(channelId);
  }
  async listRestorable() {
    return [...this.docs.values()].filter((d) => d.linked && d.autoStart);
  }
}

class MemoryLease {
  readonly ownerId = 'me';
  readonly keys = new Map<string, string>();
  setLostHandler() {}
  async acquire(id: string) {
    const owner = this.keys.get(id);
    if (owner && owner !== this.ownerId) return false;
    this.keys.set(id, this.ownerId);
    return true;
  }
  holds(id: string) {
    return this.keys.get(id) === this.ownerId;
  }
  async ownerOf(id: string) {
    return this.keys.get(id);
  }
  async release(id: string) {
    if (this.keys.get(id) === this.ownerId) this.keys.delete(id);
  }
  heldCount() {
    return [...this.keys.values()].filter((o) => o === this.ownerId).length;
  }
}

/** A cluster of one: this process is the only member, so every command runs here. */
class SoloMembers {
  readonly id = 'me';
  draining = false;
  isDraining() {
    return this.draining;
  }
  async setDraining(d: boolean) {
    this.draining = d;
  }
  async list() {
    return [{ id: 'me', sessions: 0, cap: 50, draining: this.draining }];
  }
  async choose() {
    return this.draining ? undefined : 'me';
  }
  async isLive() {
    return true;
  }
}

const built: SessionManager[] = [];

function build(channels: string[], sink?: InboundEventSink) {
  const engine = new FakeMessagingEngine();
  const repo = new MemoryRepo();
  const lease = new MemoryLease();
  const registry = new SchedulerRegistry();
  const events: DomainEvent[] = [];
  const shutdown = jest.fn(async () => undefined);
  engine.shutdown = shutdown;
  const refs: ChannelRef[] = channels.map((id) => ({ id, clientIdentifier: ACC, platformConfigId: `p${id}`, provider: { clientNumber: '5521999990000' } }));
  const directory = {
    getById: async (c: string, id: string) => {
      const ref = refs.find((r) => r.id === id && r.clientIdentifier === c);
      if (!ref) throw AppError.notFound('CHANNEL_NOT_FOUND', 'no');
      return ref;
    },
    getByPlatformConfigId: async () => refs[0],
    listAllByService: async () => refs,
  } as unknown as ChannelDirectory;
  const config = {
    storage: { dataDir: '/tmp/omc-manager-spec' },
    whatsapp: { maxConcurrentStarts: 2, readyTimeoutMs: 10_000, qrTimeoutMs: 60_000, restoreOnBoot: true, restoreStaggerMs: 0, leaseTtlMs: 3_000, maxPerProcess: 50, forwardTimeoutMs: 5_000 },
  } as unknown as AppConfig;
  const bus = { publish: jest.fn(), close: jest.fn() } as unknown as SessionStatusBus;
  const moduleRef = {
    get: () => {
      if (!sink) throw new Error('not found');
      return sink;
    },
  } as unknown as ModuleRef;
  const members = new SoloMembers() as unknown as ClusterMembers;
  const redis = { redis: { set: async () => 'OK', eval: async () => 1 } } as unknown as RedisClient;
  const commandBus = { serve: () => undefined, call: jest.fn() } as unknown as CommandBus;
  const router = new SessionRouter(commandBus, members, lease as unknown as SessionLease, directory, config);
  const sut = new SessionManager(
    config,
    engine,
    repo as unknown as SessionsRepository,
    lease as unknown as SessionLease,
    directory,
    { publishAndWait: async (e: DomainEvent) => void events.push(e) } as unknown as DomainEvents,
    bus,
    moduleRef,
    new SweepScheduler(registry),
    new EventEmitter2(),
    router,
    members,
    redis,
    // The fake engine keeps links in memory: no profile on disk to store.
    new LinkKeeper({} as AuthSnapshots, { whatsapp: { authStore: 'local' } } as AppConfig),
  );
  built.push(sut);
  return { sut, engine, repo, lease, events, shutdown, refs, registry };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('SessionManager', () => {
  beforeEach(() => {
    for (const level of ['log', 'warn', 'error'] as const) jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
  });
  afterEach(async () => {
    // Closes every session, so no watchdog or QR timer outlives its test.
    for (const m of built.splice(0)) await m.beforeApplicationShutdown();
  });

  it('starts a session, publishes session.status for state changes only, and reports it as local', async () => {
    const { sut, engine, events } = build(['c1']);
    await sut.start(ACC, 'c1');
    await flush();
    engine.session('c1').showQr('second');
    engine.session('c1').link();
    await flush();
    expect(events.map((e) => e.payload.state)).toEqual(['STARTING', 'QR', 'AUTHENTICATED', 'READY']);
    expect(events[1]).toMatchObject({ name: 'session.status', clientIdentifier: ACC, channelId: 'c1', payload: { qr: true, previousState: 'STARTING' } });
    expect(await sut.status(ACC, 'c1')).toMatchObject({ state: 'READY', owner: 'local', linked: true });
  });

  it('refuses to start a session another process owns (503 SESSION_NOT_LOCAL), and reads its stored status', async () => {
    const { sut, engine, repo, lease } = build(['c1']);
    lease.keys.set('c1', 'other');
    await repo.write(ACC, 'c1', { state: 'READY', linked: true, autoStart: true, me: 'x@c.us' });
    await expect(sut.start(ACC, 'c1')).rejects.toMatchObject({ status: 503, code: 'SESSION_NOT_LOCAL' });
    expect(engine.created).toHaveLength(0);
    expect(await sut.status(ACC, 'c1')).toMatchObject({ state: 'READY', owner: 'remote', me: 'x@c.us' });
  });

  it('says OWNER_GONE for a session stored as running whose lease expired', async () => {
    const { sut, repo } = build(['c1']);
    await repo.write(ACC, 'c1', { state: 'READY', linked: true, autoStart: true });
    expect(await sut.status(ACC, 'c1')).toMatchObject({ state: 'DISCONNECTED', reason: 'OWNER_GONE', owner: 'none' });
  });

  it('404s for channels of other accounts before touching the lease', async () => {
    const { sut, lease } = build(['c1']);
    await expect(sut.start('someone-else', 'c1')).rejects.toMatchObject({ status: 404 });
    expect(lease.keys.size).toBe(0);
  });

  it('restores linked, wanted sessions of existing channels at boot; adoption takes only orphans that were running', async () => {
    const { sut, engine, repo, lease } = build(['a', 'b', 'c', 'd']);
    await repo.write(ACC, 'a', { state: 'READY', linked: true, autoStart: true });
    await repo.write(ACC, 'b', { state: 'STOPPED', linked: true, autoStart: false });
    await repo.write(ACC, 'c', { state: 'READY', linked: true, autoStart: true });
    lease.keys.set('c', 'other');
    await repo.write(ACC, 'gone', { state: 'READY', linked: true, autoStart: true });
    await sut.restoreAll('boot');
    expect(engine.created.map((s) => s.channelId)).toEqual(['a']);

    await repo.write(ACC, 'd', { state: 'FAILED', linked: true, autoStart: true });
    lease.keys.delete('c');
    await sut.restoreAll('adopt');
    expect(engine.created.map((s) => s.channelId)).toEqual(['a', 'c']);
  });

  it('after the boot restore, adopts orphans every quarter of the lease TTL (at least 1 s) through the scheduler, and stops adopting at shutdown', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      const { sut, engine, repo, lease, registry } = build(['a', 'c']);
      await repo.write(ACC, 'c', { state: 'READY', linked: true, autoStart: true });
      lease.keys.set('c', 'other');
      await sut.onApplicationBootstrap();
      while (sut.isRestoring()) await flush();
      expect(registry.getIntervals()).toEqual(['whatsapp-session-adoption']);
      expect(engine.created).toEqual([]);

      lease.keys.delete('c'); // its owner died
      await jest.advanceTimersByTimeAsync(999);
      expect(engine.created).toEqual([]);
      await jest.advanceTimersByTimeAsync(1);
      while (sut.isRestoring()) await flush();
      expect(engine.created.map((s) => s.channelId)).toEqual(['c']);

      await sut.beforeApplicationShutdown();
      expect(registry.getIntervals()).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('hands engine events to the app’s sink, in order', async () => {
    const seen: string[] = [];
    const sink: InboundEventSink = { handle: async (_ctx, e) => void seen.push(e.type === 'message' ? e.message.body! : e.type), store: async () => undefined };
    const { sut, engine } = build(['c1'], sink);
    engine.linkedProfiles.set('/tmp/omc-manager-spec/sessions/c1', 'me@c.us');
    await sut.start(ACC, 'c1');
    await flush();
    engine.session('c1').receive({ chatId: '1@c.us', body: 'one' });
    engine.session('c1').ack('x', '1@c.us', 'read');
    await flush();
    await flush();
    expect(seen).toEqual(['one', 'ack']);
  });

  it('stops every session at shutdown keeping autoStart, releases leases and sweeps the engine', async () => {
    const { sut, engine, repo, lease, shutdown } = build(['c1']);
    engine.linkedProfiles.set('/tmp/omc-manager-spec/sessions/c1', 'me@c.us');
    await sut.start(ACC, 'c1');
    await flush();
    await sut.beforeApplicationShutdown();
    expect(engine.running()).toHaveLength(0);
    expect(repo.docs.get('c1')).toMatchObject({ state: 'STOPPED', reason: 'SHUTDOWN', linked: true, autoStart: true });
    expect(lease.keys.size).toBe(0);
    expect(shutdown).toHaveBeenCalled();
  });
});
