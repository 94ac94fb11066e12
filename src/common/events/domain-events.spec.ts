import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainEvent, DomainEventHandlersFailed, DomainEventName, DomainEvents, EVENT_EMITTER_OPTIONS } from './domain-events';

const event = (name: DomainEventName = DomainEventName.MessageStatus): DomainEvent => ({
  name,
  clientIdentifier: 'acc',
  channelId: 'ch',
  occurredAt: new Date(0),
  payload: { status: 'read' },
});

/** A promise the test settles by hand, to hold a handler in flight. */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (err: Error) => void } {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('DomainEvents', () => {
  let sut: DomainEvents;

  let logged: jest.SpyInstance;

  beforeEach(() => {
    sut = new DomainEvents(new EventEmitter2(EVENT_EMITTER_OPTIONS));
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => logged.mockRestore());

  describe('publish', () => {
    it('runs the handlers of the name and of * in the background and keeps their failures from the publisher', async () => {
      const seen: string[] = [];
      sut.on(DomainEventName.MessageStatus, () => {
        seen.push('named');
        throw new Error('handler broke');
      });
      sut.on('*', (e) => {
        seen.push(`any:${e.name}`);
      });
      expect(() => sut.publish(event())).not.toThrow();
      expect(seen).toEqual([]); // not run inline
      await flush();
      expect(seen.sort()).toEqual(['any:message.status', 'named']);
      expect(logged).toHaveBeenCalledWith(expect.objectContaining({ event: 'message.status' }), 'Domain event handler failed');
    });
  });

  describe('on *', () => {
    it('hears every domain event but not the internal events other modules put on the same emitter', async () => {
      const emitter = new EventEmitter2(EVENT_EMITTER_OPTIONS);
      const bus = new DomainEvents(emitter);
      const heard: string[] = [];
      bus.on('*', (e) => void heard.push(e.name));
      emitter.emit('whatsapp.session.changed', { kind: 'state' });
      await bus.publishAndWait(event(DomainEventName.ChannelDeleted));
      await flush();
      expect(heard).toEqual(['channel.deleted']);
    });
  });

  describe('publishAndWait', () => {
    it('resolves only once every handler of the event has settled', async () => {
      const slow = deferred();
      const done: string[] = [];
      sut.on(DomainEventName.MessageStatus, async () => {
        await slow.promise;
        done.push('slow');
      });
      sut.on(DomainEventName.MessageStatus, () => {
        done.push('fast');
      });
      sut.on('*', () => {
        done.push('any');
      });
      sut.on(DomainEventName.SessionStatus, () => {
        done.push('other event');
      });
      let settled = false;
      const waiting = sut.publishAndWait(event()).then(() => (settled = true));
      await flush();
      expect(settled).toBe(false);
      expect(done.sort()).toEqual(['any', 'fast']);
      slow.resolve();
      await waiting;
      expect(done.sort()).toEqual(['any', 'fast', 'slow']);
    });

    it('resolves with no handler at all', async () => {
      await expect(sut.publishAndWait(event(DomainEventName.ChannelDeleted))).resolves.toBeUndefined();
    });

    it("rejects with the failed handler's error, after the other handlers finished", async () => {
      const slow = deferred();
      let slowDone = false;
      const failure = new Error('outbox unavailable');
      sut.on(DomainEventName.MessageStatus, async () => {
        await slow.promise;
        slowDone = true;
      });
      sut.on(DomainEventName.MessageStatus, () => Promise.reject(failure));
      const waiting = sut.publishAndWait(event());
      let outcome: unknown = 'pending';
      waiting.then(
        () => (outcome = 'resolved'),
        (err: unknown) => (outcome = err),
      );
      await flush();
      expect(outcome).toBe('pending'); // the failure alone does not settle it: the slow handler still runs
      slow.resolve();
      await expect(waiting).rejects.toBe(failure);
      expect(slowDone).toBe(true);
    });

    it('rejects for a handler that throws synchronously', async () => {
      sut.on(DomainEventName.MessageStatus, () => {
        throw new Error('sync throw');
      });
      await expect(sut.publishAndWait(event())).rejects.toThrow('sync throw');
    });

    it('rejects with every error when several handlers failed', async () => {
      const a = new Error('a');
      const b = new Error('b');
      sut.on(DomainEventName.MessageStatus, () => Promise.reject(a));
      sut.on('*', () => Promise.reject(b));
      const err = await sut.publishAndWait(event()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainEventHandlersFailed);
      expect((err as DomainEventHandlersFailed).errors).toEqual(expect.arrayContaining([a, b]));
      expect((err as DomainEventHandlersFailed).errors).toHaveLength(2);
    });

    it('no longer runs a handler once it is unsubscribed, and runs a handler registered twice twice', async () => {
      let calls = 0;
      const handler = () => {
        calls++;
      };
      const off = sut.on(DomainEventName.MessageStatus, handler);
      sut.on(DomainEventName.MessageStatus, handler);
      await sut.publishAndWait(event());
      expect(calls).toBe(2);
      off();
      await sut.publishAndWait(event());
      expect(calls).toBe(3);
    });
  });
});
