import { Test } from '@nestjs/testing';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainEvent, DomainEventName, DomainEvents, EVENT_EMITTER_OPTIONS } from '../../common/events/domain-events';
import { MediaStore } from '../../media/media.store';
import type { EngineSession } from '../../whatsapp/engine/messaging-engine.port';
import { MessageStatusService } from '../message-status.service';
import type { MessageStatus, OutboundMessage } from '../message.types';
import { MessagesRepository } from '../messages.repository';
import { ChannelProviders } from '../../providers/channel-providers';
import { ChannelWork, SendProcessor } from './send-processor';
import { SentLedger } from './sent-ledger';

/** The database as the processor sees it: one message, and writes that can be made to fail. */
class FakeRepository {
  message: OutboundMessage;
  /** The next N `sent` writes throw like a database that went away. */
  failSentWrites = 0;
  sentWriteAttempts = 0;
  constructor(message: OutboundMessage) {
    this.message = message;
  }
  async findById(_ci: string, id: string) {
    return id === this.message.id ? { ...this.message } : undefined;
  }
  async claimForSending() {
    if (this.message.status !== 'queued') return false;
    this.message.status = 'sending';
    return true;
  }
  async releaseToQueue() {
    this.message.status = 'queued';
  }
  async markSent(_ci: string, _ch: string, _id: string, waMessageId: string | undefined) {
    this.sentWriteAttempts++;
    if (this.failSentWrites > 0) {
      this.failSentWrites--;
      throw Object.assign(new Error('Client must be connected before running operations'), { name: 'MongoNotConnectedError' });
    }
    return this.move('sent', { waMessageId });
  }
  async advance(_ci: string, _ch: string, _match: unknown, to: MessageStatus, set: Record<string, unknown> = {}) {
    return this.move(to, set);
  }
  async addExtraWaIds() {}
  private move(to: MessageStatus, set: Record<string, unknown>) {
    const previous = this.message.status;
    if (previous === to || previous === 'failed') return undefined;
    this.message = { ...this.message, ...set, status: to };
    return { message: { ...this.message }, previous };
  }
}

class FakeLedger {
  noted = new Map<string, string>();
  async note(id: string, wa: string) {
    this.noted.set(id, wa);
  }
  async find(id: string) {
    return this.noted.get(id);
  }
}

const queued = (): OutboundMessage =>
  ({
    id: 'm1',
    clientIdentifier: 'acc',
    channelId: 'ch1',
    chatId: '5521999990000@c.us',
    direction: 'outbound',
    kind: 'text',
    body: 'hello',
    status: 'queued',
    outbound: { op: 'send' },
  }) as unknown as OutboundMessage;

describe('SendProcessor: once WhatsApp accepted a message it is sent', () => {
  let sut: SendProcessor;
  let repository: FakeRepository;
  let ledger: FakeLedger;
  let sends: number;
  const statuses: DomainEvent[] = [];
  const work: ChannelWork = { channelId: 'ch1', signal: new AbortController().signal, requeueFirst: async () => undefined };

  beforeEach(async () => {
    repository = new FakeRepository(queued());
    ledger = new FakeLedger();
    sends = 0;
    statuses.length = 0;
    const session = {
      sendMessage: async () => {
        sends++;
        return { id: 'true_5521999990000@c.us_ABC', timestamp: 1_700_000_000 };
      },
    } as unknown as EngineSession;
    const events = new DomainEvents(new EventEmitter2(EVENT_EMITTER_OPTIONS));
    events.on(DomainEventName.MessageStatus, (e) => void statuses.push(e));
    const moduleRef = await Test.createTestingModule({
      providers: [
        SendProcessor,
        MessageStatusService,
        { provide: DomainEvents, useValue: events },
        { provide: MessagesRepository, useValue: repository },
        { provide: SentLedger, useValue: ledger },
        { provide: MediaStore, useValue: {} },
        { provide: ChannelProviders, useValue: { requireReady: async () => session } },
      ],
    }).compile();
    sut = moduleRef.get(SendProcessor);
  });

  it('a database error right after the engine accepted leaves the message sent, never failed, sent once', async () => {
    repository.failSentWrites = 2;
    await sut.process({ op: 'send', clientIdentifier: 'acc', messageId: 'm1' }, work);
    expect(repository.message).toMatchObject({ status: 'sent', waMessageId: 'true_5521999990000@c.us_ABC' });
    expect(repository.sentWriteAttempts).toBe(3);
    expect(sends).toBe(1);
    await new Promise((r) => setImmediate(r));
    const published = statuses.map((e) => e.payload as { status: string; waMessageId?: string });
    expect(published.map((p) => p.status)).toEqual(['sent']);
    expect(published[0].waMessageId).toBe('true_5521999990000@c.us_ABC');
  });

  it('a send left `sending` by a process that died before storing `sent` settles as sent from the noted id', async () => {
    repository.message = { ...queued(), status: 'sending' };
    await ledger.note('m1', 'true_5521999990000@c.us_XYZ');
    await sut.process({ op: 'send', clientIdentifier: 'acc', messageId: 'm1' }, work);
    expect(repository.message).toMatchObject({ status: 'sent', waMessageId: 'true_5521999990000@c.us_XYZ' });
    expect(sends).toBe(0);
  });
});
