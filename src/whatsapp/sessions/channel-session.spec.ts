import { Logger } from '@nestjs/common';
import { Semaphore } from 'async-mutex';
import { FakeMessagingEngine } from '../engine/fake/fake-engine';
import { InboundEngineEvent } from '../engine/messaging-engine.port';
import {
  ChannelSession,
  ChannelSessionOptions,
  DEFAULT_SESSION_OPTIONS,
  LeaseUnavailableError,
  PairingNotPossibleError,
  SessionStatus,
  StatusChange,
} from './channel-session';

const OPTIONS: ChannelSessionOptions = {
  ...DEFAULT_SESSION_OPTIONS,
  readyTimeoutMs: 10_000,
  qrTimeoutMs: 60_000,
  qrStallMs: 30_000,
  backoffBaseMs: 1_000,
  backoffMaxMs: 8_000,
  maxRestarts: 3,
  logoutSettleMs: 5_000,
  logoutQrGraceMs: 1_500,
};

function build(engine = new FakeMessagingEngine(), limiter = new Semaphore(2), channelId = 'c1') {
  const persisted: SessionStatus[] = [];
  const changes: StatusChange[] = [];
  const delivered: InboundEngineEvent[] = [];
  const calls = { releaseLease: 0, removeAuthData: 0 };
  const leaseFree = { value: true };
  const logger = new Logger('test');
  const errors = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
  const sut = new ChannelSession(
    { channelId, clientIdentifier: 'acc' },
    engine,
    { channelId, clientIdentifier: 'acc', dataDir: `/data/${channelId}` },
    {
      persist: async (s) => void persisted.push(s),
      changed: (c) => void changes.push(c),
      event: async (_session, e) => {
        await new Promise((r) => setTimeout(r, 5));
        delivered.push(e);
      },
      acquireStartPermit: async () => (await limiter.acquire())[1],
      acquireLease: async () => leaseFree.value,
      releaseLease: async () => void calls.releaseLease++,
      removeAuthData: async () => void calls.removeAuthData++,
    },
    OPTIONS,
    logger,
  );
  const states = () => changes.filter((c) => c.kind === 'state').map((c) => c.status.state);
  return { sut, engine, persisted, changes, delivered, calls, states, errors, leaseFree };
}

const tick = (ms = 0) => jest.advanceTimersByTimeAsync(ms);

describe('ChannelSession state machine', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('goes STOPPED → STARTING → QR → AUTHENTICATED → READY when the phone links', async () => {
    const { sut, engine, states, persisted, errors } = build();
    await sut.start();
    await tick();
    expect(sut.snapshot()).toMatchObject({ state: 'QR', qr: 'fake-qr-1', linked: false, autoStart: true });
    expect(sut.snapshot().qrExpiresAt!.getTime()).toBeGreaterThan(Date.now());
    engine.session('c1').link('5521999990000@c.us');
    await tick();
    expect(states()).toEqual(['STARTING', 'QR', 'AUTHENTICATED', 'READY']);
    expect(sut.snapshot()).toMatchObject({ state: 'READY', me: '5521999990000@c.us', linked: true, reason: 'CONNECTED' });
    expect(sut.snapshot().qr).toBeUndefined();
    expect(sut.readySession()).toBe(engine.session('c1'));
    await sut.flushed();
    expect(persisted.at(-1)).toMatchObject({ state: 'READY', linked: true });
    expect(errors).not.toHaveBeenCalled();
  });

  it('reports each rotated QR as a qr change, not a state change', async () => {
    const { sut, engine, changes } = build();
    await sut.start();
    await tick();
    engine.session('c1').showQr('second');
    expect(sut.snapshot().qr).toBe('second');
    expect(changes.map((c) => c.kind)).toEqual(['state', 'state', 'qr']);
  });

  it('restores a linked session without a QR', async () => {
    const { sut, engine, states } = build();
    engine.linkedProfiles.set('/data/c1', '5511@c.us');
    await sut.start();
    await tick();
    expect(states()).toEqual(['STARTING', 'AUTHENTICATED', 'READY']);
  });

  it('restarts after a browser crash with capped exponential backoff', async () => {
    const { sut, engine, states } = build();
    engine.linkedProfiles.set('/data/c1', '5511@c.us');
    await sut.start();
    await tick();
    engine.session('c1').crash();
    await tick();
    expect(sut.snapshot()).toMatchObject({ state: 'DISCONNECTED', reason: 'BROWSER_CRASHED' });
    expect(sut.snapshot().retryAt!.getTime() - Date.now()).toBe(1_000);
    await tick(999);
    expect(sut.snapshot().state).toBe('DISCONNECTED');
    await tick(1);
    expect(sut.snapshot().state).toBe('READY');
    expect(engine.created).toHaveLength(2);
    expect(engine.created[0].status).toBe('stopped');
    expect(states()).toEqual(['STARTING', 'AUTHENTICATED', 'READY', 'DISCONNECTED', 'STARTING', 'AUTHENTICATED', 'READY']);
  });

  it('doubles the delay on consecutive failures and gives up after maxRestarts, releasing the lease', async () => {
    const { sut, engine, calls } = build();
    engine.failNextStarts = 10;
    await sut.start();
    await tick();
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      expect(sut.snapshot()).toMatchObject({ state: 'FAILED', reason: 'START_FAILED' });
      const delay = sut.snapshot().retryAt!.getTime() - Date.now();
      delays.push(delay);
      await tick(delay);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000]);
    expect(sut.snapshot().state).toBe('FAILED');
    expect(sut.snapshot().reason).toMatch(/^GAVE_UP: START_FAILED/);
    expect(sut.snapshot().retryAt).toBeUndefined();
    expect(calls.releaseLease).toBe(1);
    await tick(60_000);
    expect(engine.created).toHaveLength(4);
  });

  it('has a watchdog that restarts a session that never becomes ready', async () => {
    const { sut, engine } = build();
    engine.hangNextStarts = 1;
    engine.linkedProfiles.set('/data/c1', '5511@c.us');
    await sut.start();
    await tick(9_999);
    expect(sut.snapshot().state).toBe('STARTING');
    await tick(1);
    expect(sut.snapshot()).toMatchObject({ state: 'FAILED', reason: 'READY_TIMEOUT' });
    expect(engine.created[0].status).toBe('stopped');
    await tick(1_000);
    expect(sut.snapshot().state).toBe('READY');
  });

  it('restarts when the QR stops rotating (WhatsApp Web went idle)', async () => {
    const { sut, engine } = build();
    await sut.start();
    await tick(29_999);
    expect(sut.snapshot().state).toBe('QR');
    await tick(1);
    expect(sut.snapshot()).toMatchObject({ state: 'DISCONNECTED', reason: 'QR_STALLED' });
    await tick(1_000);
    expect(sut.snapshot().state).toBe('QR');
    expect(engine.created).toHaveLength(2);
  });

  it('stops with QR_TIMEOUT when nobody links in time, across stall restarts', async () => {
    const { sut, engine, calls } = build();
    await sut.start();
    for (let t = 0; t < 59_000; t += 10_000) {
      await tick(10_000);
      if (sut.snapshot().state === 'QR') engine.session('c1').showQr();
    }
    await tick(1_000);
    expect(sut.snapshot()).toMatchObject({ state: 'STOPPED', reason: 'QR_TIMEOUT', autoStart: false });
    expect(engine.running()).toHaveLength(0);
    expect(calls.releaseLease).toBe(1);
  });

  it('turns a phone logout into LOGGED_OUT and closes the browser once the new QR appears', async () => {
    const { sut, engine, calls } = build();
    await sut.start();
    await tick();
    engine.session('c1').link();
    await tick();
    engine.session('c1').disconnect('LOGOUT');
    expect(sut.snapshot()).toMatchObject({ state: 'LOGGED_OUT', reason: 'LOGGED_OUT_BY_PHONE', linked: false, autoStart: false });
    expect(engine.session('c1').status).toBe('running');
    engine.session('c1').showQr();
    await tick(1_499);
    expect(engine.session('c1').status).toBe('running');
    await tick(1);
    expect(engine.session('c1').status).toBe('stopped');
    expect(calls.removeAuthData).toBe(1);
    expect(calls.releaseLease).toBe(1);
    expect(sut.snapshot().state).toBe('LOGGED_OUT');
  });

  it('closes the browser after a settle time when no QR follows a phone logout', async () => {
    const { sut, engine, calls } = build();
    engine.linkedProfiles.set('/data/c1', 'me@c.us');
    await sut.start();
    await tick();
    engine.session('c1').disconnect('LOGOUT');
    await tick(4_999);
    expect(engine.session('c1').status).toBe('running');
    await tick(1);
    expect(engine.session('c1').status).toBe('stopped');
    expect(calls.removeAuthData).toBe(1);
  });

  it('treats UNPAIRED as logged out by the phone and deletes the auth data', async () => {
    const { sut, engine, calls } = build();
    engine.linkedProfiles.set('/data/c1', 'me@c.us');
    await sut.start();
    await tick();
    engine.session('c1').disconnect('UNPAIRED');
    await tick();
    expect(sut.snapshot()).toMatchObject({ state: 'LOGGED_OUT', linked: false });
    expect(sut.snapshot().reason).toContain('UNPAIRED');
    expect(calls.removeAuthData).toBe(1);
    await tick(120_000);
    expect(engine.created).toHaveLength(1);
  });

  it('restarts after CONFLICT (the lease makes sure it is not our own second browser)', async () => {
    const { sut, engine } = build();
    engine.linkedProfiles.set('/data/c1', 'me@c.us');
    await sut.start();
    await tick();
    engine.session('c1').disconnect('CONFLICT');
    await tick();
    expect(sut.snapshot()).toMatchObject({ state: 'DISCONNECTED', reason: 'CONFLICT' });
    await tick(1_000);
    expect(sut.snapshot().state).toBe('READY');
  });

  it('logs out on request: unlinks through WhatsApp, deletes the auth data, releases the lease', async () => {
    const { sut, engine, calls } = build();
    engine.linkedProfiles.set('/data/c1', 'me@c.us');
    await sut.start();
    await tick();
    await sut.logout();
    expect(engine.session('c1').status).toBe('logged_out');
    expect(engine.linkedProfiles.has('/data/c1')).toBe(false);
    expect(sut.snapshot()).toMatchObject({ state: 'LOGGED_OUT', reason: 'LOGGED_OUT_BY_REQUEST', linked: false });
    expect(calls).toEqual({ releaseLease: 1, removeAuthData: 1 });
  });

  it('stops on request and ignores late events of the closed browser', async () => {
    const { sut, engine, calls, states } = build();
    await sut.start();
    await tick();
    const old = engine.session('c1');
    await sut.stop();
    expect(sut.snapshot()).toMatchObject({ state: 'STOPPED', autoStart: false });
    expect(old.status).toBe('stopped');
    old.showQr('late');
    old.link();
    old.crash();
    await tick(10_000);
    expect(sut.snapshot().state).toBe('STOPPED');
    expect(states()).toEqual(['STARTING', 'QR', 'STOPPED']);
    expect(calls.releaseLease).toBe(1);
  });

  it('keeps autoStart on a shutdown stop so boot restores the session', async () => {
    const { sut, engine } = build();
    engine.linkedProfiles.set('/data/c1', 'me@c.us');
    await sut.start();
    await tick();
    await sut.stop('SHUTDOWN', true);
    expect(sut.snapshot()).toMatchObject({ state: 'STOPPED', reason: 'SHUTDOWN', autoStart: true, linked: true });
  });

  it('delivers engine events serially, in order', async () => {
    const { sut, engine, delivered } = build();
    engine.linkedProfiles.set('/data/c1', 'me@c.us');
    await sut.start();
    await tick();
    const s = engine.session('c1');
    const m1 = s.receive({ chatId: '1@c.us', body: 'one' });
    s.ack(m1.id, '1@c.us', 'read');
    const m2 = s.receive({ chatId: '1@c.us', body: 'two' });
    await tick(50);
    expect(delivered.map((e) => (e.type === 'message' ? e.message.id : e.type))).toEqual([m1.id, 'ack', m2.id]);
  });

  it.each([
    ['stop', (sut: ChannelSession) => sut.stop()],
    ['restart', (sut: ChannelSession) => sut.restart()],
    ['lease loss', async (sut: ChannelSession) => sut.leaseLost()],
  ])('journals events the browser hands over while it closes (%s): none is dropped', async (_what, teardown) => {
    const { sut, engine, delivered } = build();
    engine.linkedProfiles.set('/data/c1', 'me@c.us');
    await sut.start();
    await tick();
    const s = engine.session('c1');
    const close = s.stop.bind(s);
    const late: string[] = [];
    // WhatsApp Web keeps handing over events until the browser is really closed.
    s.stop = async () => {
      late.push(s.receive({ chatId: '1@c.us', body: 'during close' }).id);
      await Promise.resolve();
      late.push(s.receive({ chatId: '2@c.us', body: 'last one' }).id);
      await close();
    };
    const before = s.receive({ chatId: '1@c.us', body: 'before' }).id;
    let finished = false;
    const done = teardown(sut).then(() => (finished = true));
    await tick(100);
    await done;
    expect(finished).toBe(true);
    expect(delivered.map((e) => (e.type === 'message' ? e.message.id : e.type))).toEqual([before, ...late]);
  });

  it('stop resolves only once the events handed over reached the sink', async () => {
    const { sut, engine, delivered } = build();
    engine.linkedProfiles.set('/data/c1', 'me@c.us');
    await sut.start();
    await tick();
    const s = engine.session('c1');
    for (let i = 0; i < 5; i++) s.receive({ chatId: `${i}@c.us`, body: `m${i}` });
    let stopped = false;
    const done = sut.stop().then(() => (stopped = true));
    await tick(12);
    expect(stopped).toBe(false);
    await tick(100);
    await done;
    expect(delivered).toHaveLength(5);
  });

  it('bounds concurrent starts: the next browser launches when one reaches QR or READY', async () => {
    const engine = new FakeMessagingEngine();
    const limiter = new Semaphore(1);
    engine.hangNextStarts = 1;
    const a = build(engine, limiter, 'a');
    const b = build(engine, limiter, 'b');
    await a.sut.start();
    await b.sut.start();
    await tick();
    expect(engine.created.map((s) => s.status)).toEqual(['running', 'new']);
    engine.session('a').showQr();
    await tick();
    expect(engine.session('b').status).toBe('running');
    expect(b.sut.snapshot().state).toBe('QR');
  });

  it('closes the browser at once and detaches when the lease is lost', async () => {
    const { sut, engine, persisted } = build();
    engine.linkedProfiles.set('/data/c1', 'me@c.us');
    await sut.start();
    await tick();
    await sut.flushed();
    const writes = persisted.length;
    sut.leaseLost();
    await tick();
    expect(engine.session('c1').status).toBe('stopped');
    expect(sut.isDetached()).toBe(true);
    expect(sut.snapshot()).toMatchObject({ state: 'STOPPED', reason: 'LEASE_LOST' });
    expect(persisted).toHaveLength(writes);
  });

  it('gives a pairing code only while waiting for the link', async () => {
    const { sut, engine } = build();
    await sut.start();
    await tick();
    const code = await sut.requestPairingCode('5521999990000');
    expect(code).toMatch(/^[0-9A-F]{8}$/);
    expect(sut.snapshot().pairingCode).toBe(code);
    // no stall restart while a code is pending
    await tick(40_000);
    expect(sut.snapshot().state).toBe('QR');
    engine.session('c1').link();
    await tick();
    await expect(sut.requestPairingCode('5521999990000')).rejects.toBeInstanceOf(PairingNotPossibleError);
    expect(sut.snapshot().pairingCode).toBeUndefined();
  });

  it('takes the lease under its lock before launching, and detaches when a restart finds it gone', async () => {
    const { sut, engine, leaseFree } = build();
    leaseFree.value = false;
    await expect(sut.start()).rejects.toBeInstanceOf(LeaseUnavailableError);
    expect(engine.created).toHaveLength(0);
    leaseFree.value = true;
    engine.linkedProfiles.set('/data/c1', 'me@c.us');
    await sut.start();
    await tick();
    engine.session('c1').crash();
    leaseFree.value = false;
    await tick(1_000);
    expect(engine.created).toHaveLength(1);
    expect(sut.isDetached()).toBe(true);
  });

  it('refuses illegal transitions', async () => {
    const { sut, errors } = build();
    (sut as any).setState('READY', 'x', {});
    expect(sut.snapshot().state).toBe('STOPPED');
    expect(errors).toHaveBeenCalled();
  });
});
