import { AppError } from '../../common/errors/app-error';
import type { AppConfig } from '../../config/app-config';
import type { ChannelDirectory } from '../sessions/channel-directory';
import type { SessionLease } from '../sessions/session-lease';
import type { ClusterMember, ClusterMembers } from './cluster-members';
import type { CommandBus } from './command-bus';
import { SessionRouter } from './session-router';

const config = { storage: { queuePrefix: 't' }, whatsapp: { forwardTimeoutMs: 1_000 } } as unknown as AppConfig;

function build(opts: { owner?: string; live?: string[]; members?: Partial<ClusterMember>[]; choose?: string; holds?: boolean }) {
  const calls: { target: string; name: string }[] = [];
  const bus = {
    serve: () => undefined,
    call: async (target: string, name: string) => {
      calls.push({ target, name });
      return { state: 'READY', owner: 'local' };
    },
  } as unknown as CommandBus;
  const members = {
    id: 'me',
    list: async () => (opts.members ?? [{ id: 'me' }]) as ClusterMember[],
    choose: async () => opts.choose,
    isLive: async (id: string) => (opts.live ?? []).includes(id),
  } as unknown as ClusterMembers;
  const lease = {
    ownerId: 'me',
    ownerOf: async () => {
      if (opts.holds) throw new Error('Redis is down');
      return opts.owner;
    },
    holds: () => !!opts.holds,
    remainingMs: async () => 4_200,
  } as unknown as SessionLease;
  const directory = {
    getById: async (account: string, id: string) => {
      if (account !== 'acc') throw AppError.notFound('CHANNEL_NOT_FOUND', 'no');
      return { id };
    },
  } as unknown as ChannelDirectory;
  const router = new SessionRouter(bus, members, lease, directory, config);
  const local = jest.fn(async (..._args: unknown[]) => ({ state: 'READY', owner: 'local' }));
  const target = { start: local, stop: local };
  const routed = router.expose('t', target, { start: 'start', stop: 'owner' });
  return { routed, calls, local };
}

describe('SessionRouter', () => {
  it('runs here when this process holds the lease', async () => {
    const { routed, calls, local } = build({ owner: 'me' });
    await expect(routed.start('acc', 'c1')).resolves.toEqual({ state: 'READY', owner: 'local' });
    expect(local).toHaveBeenCalledWith('acc', 'c1');
    expect(calls).toEqual([]);
  });

  it('runs here without asking Redis while this process holds a fresh lease (a Redis outage does not stop its commands)', async () => {
    const { routed, local } = build({ holds: true });
    await expect(routed.stop('acc', 'c1')).resolves.toEqual({ state: 'READY', owner: 'local' });
    expect(local).toHaveBeenCalled();
  });

  it('forwards to a live owner and reports its session as remote', async () => {
    const { routed, calls, local } = build({ owner: 'peer', live: ['peer'] });
    await expect(routed.stop('acc', 'c1')).resolves.toEqual({ state: 'READY', owner: 'remote' });
    expect(calls).toEqual([{ target: 'peer', name: 't.stop' }]);
    expect(local).not.toHaveBeenCalled();
  });

  it('answers 503 SESSION_MOVING with Retry-After while a dead owner’s lease runs out', async () => {
    const { routed } = build({ owner: 'dead', live: [] });
    await expect(routed.start('acc', 'c1')).rejects.toMatchObject({ status: 503, code: 'SESSION_MOVING', retryAfterSeconds: 6 });
  });

  it('places a session that runs nowhere on the process placement picks, not on the caller', async () => {
    const { routed, calls } = build({ members: [{ id: 'me' }, { id: 'peer' }], choose: 'peer' });
    await routed.start('acc', 'c1');
    expect(calls).toEqual([{ target: 'peer', name: 't.start' }]);
  });

  it('runs an owner command here when nobody runs the session', async () => {
    const { routed, calls, local } = build({ members: [{ id: 'me' }, { id: 'peer' }], choose: 'peer' });
    await routed.stop('acc', 'c1');
    expect(local).toHaveBeenCalled();
    expect(calls).toEqual([]);
  });

  it('answers 503 NO_SESSION_CAPACITY when every process is full or draining', async () => {
    const { routed } = build({ members: [{ id: 'me' }, { id: 'peer' }], choose: undefined });
    await expect(routed.start('acc', 'c1')).rejects.toMatchObject({ status: 503, code: 'NO_SESSION_CAPACITY', retryAfterSeconds: 30 });
  });

  it('answers 404 for another account’s channel before any hop', async () => {
    const { routed, calls } = build({ owner: 'peer', live: ['peer'] });
    await expect(routed.start('other', 'c1')).rejects.toMatchObject({ status: 404 });
    expect(calls).toEqual([]);
  });
});
