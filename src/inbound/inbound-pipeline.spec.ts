import { ModuleRef } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { AppError } from '../common/errors/app-error';
import { MessageStatusService } from '../messages/message-status.service';
import type { EngineSession, InboundEngineEvent } from '../whatsapp/engine/messaging-engine.port';
import { ChatEventHandler } from './chat-event.handler';
import { InboundJournal, JournalEntry } from './inbound-journal';
import { InboundMessageHandler } from './inbound-message.handler';
import { InboundPipeline } from './inbound-pipeline';

class FakeJournal {
  written = new Map<string, JournalEntry>();
  writes: number[] = [];
  failNextWrites = 0;
  removed: string[] = [];
  private n = 0;
  entry(ctx: JournalEntry['ctx'], event: InboundEngineEvent): JournalEntry {
    return { id: `e${++this.n}`, ctx, event, receivedAt: new Date() };
  }
  async appendMany(entries: JournalEntry[]) {
    await new Promise((r) => setTimeout(r, 5));
    if (this.failNextWrites > 0) {
      this.failNextWrites--;
      throw new Error('database unavailable');
    }
    this.writes.push(entries.length);
    for (const e of entries) this.written.set(e.id, e);
  }
  async remove(e: JournalEntry) {
    this.removed.push(e.id);
    this.written.delete(e.id);
  }
}

class FakeMessages {
  applied: string[] = [];
  failWith?: Error;
  async handle(ctx: { channelId: string }, m: { id: string }) {
    await new Promise((r) => setTimeout(r, 2));
    if (this.failWith) throw this.failWith;
    this.applied.push(`${ctx.channelId}/${m.id}`);
  }
}

const session = {} as EngineSession;
const msg = (id: string): InboundEngineEvent => ({
  type: 'message',
  message: { id, chatId: 'a@c.us', senderId: 'a@c.us', isGroup: false, fromMe: false, timestamp: 1, kind: 'text', body: id },
});

describe('InboundPipeline', () => {
  let sut: InboundPipeline;
  let journal: FakeJournal;
  let messages: FakeMessages;

  beforeEach(async () => {
    journal = new FakeJournal();
    messages = new FakeMessages();
    const moduleRef = await Test.createTestingModule({
      providers: [
        InboundPipeline,
        { provide: InboundJournal, useValue: journal },
        { provide: InboundMessageHandler, useValue: messages },
        { provide: ChatEventHandler, useValue: {} },
        { provide: MessageStatusService, useValue: {} },
        { provide: ModuleRef, useValue: { get: () => ({ requireReady: () => Promise.reject(new Error('none')) }) } },
      ],
    }).compile();
    sut = moduleRef.get(InboundPipeline);
  });

  const settle = () => sut.drain();

  it('journals events in batches, applies them in order per channel, then empties the journal', async () => {
    for (let i = 0; i < 50; i++) await sut.handle({ clientIdentifier: 'acc', channelId: i % 2 ? 'odd' : 'even' }, msg(`m${i}`), session);
    await settle();
    expect(journal.writes.reduce((a, b) => a + b, 0)).toBe(50);
    expect(journal.writes.length).toBeLessThan(50); // grouped while a write was in flight
    const even = messages.applied.filter((a) => a.startsWith('even/')).map((a) => Number(a.slice(6)));
    expect(even).toEqual([...even].sort((a, b) => a - b));
    expect(messages.applied).toHaveLength(50);
    expect(journal.written.size).toBe(0);
  });

  it('retries a failed journal write with the same entries, losing and duplicating nothing', async () => {
    journal.failNextWrites = 2;
    for (let i = 0; i < 5; i++) await sut.handle({ clientIdentifier: 'acc', channelId: 'c' }, msg(`m${i}`), session);
    await settle();
    expect(messages.applied).toEqual(['c/m0', 'c/m1', 'c/m2', 'c/m3', 'c/m4']);
    expect(journal.removed.sort()).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
  });

  it('leaves an entry it could not apply in the journal for recovery, and drops one that can never apply', async () => {
    messages.failWith = new Error('database unavailable');
    await sut.handle({ clientIdentifier: 'acc', channelId: 'c' }, msg('m1'), session);
    await settle();
    expect([...journal.written.keys()]).toEqual(['e1']);

    messages.failWith = AppError.badRequest('BAD', 'never');
    await sut.schedule(journal.written.get('e1')!);
    expect(journal.written.size).toBe(0);
  }, 20_000);
});
