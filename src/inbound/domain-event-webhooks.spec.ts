import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainEventName, DomainEvents, EVENT_EMITTER_OPTIONS } from '../common/events/domain-events';
import { ContactsService } from '../contacts/contacts.service';
import { RecordEventInput, WebhookOutbox } from '../webhooks/webhook-outbox.service';
import { DomainEventWebhooks } from './domain-event-webhooks';
import { InboundRouter } from './inbound-router';

/** The outbox whose database fails the first `failures` writes. */
class FlakyOutbox {
  recorded: RecordEventInput[] = [];
  attempts = 0;
  constructor(private failures: number) {}
  async record(input: RecordEventInput) {
    this.attempts++;
    if (this.failures-- > 0) throw Object.assign(new Error('connection closed'), { name: 'MongoNetworkError' });
    this.recorded.push(input);
    return { eventId: 'e', created: true };
  }
}

describe('DomainEventWebhooks', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));

  async function build(outbox: FlakyOutbox) {
    const events = new DomainEvents(new EventEmitter2(EVENT_EMITTER_OPTIONS));
    const moduleRef = await Test.createTestingModule({
      providers: [
        DomainEventWebhooks,
        { provide: DomainEvents, useValue: events },
        { provide: WebhookOutbox, useValue: outbox },
        { provide: InboundRouter, useValue: { allPlatforms: async () => ['p'] } },
        { provide: ContactsService, useValue: {} },
      ],
    }).compile();
    moduleRef.get(DomainEventWebhooks).onModuleInit();
    return events;
  }

  it('retries a message.status webhook whose recording met a database error, instead of dropping it', async () => {
    const outbox = new FlakyOutbox(2);
    const events = await build(outbox);
    events.publish({
      name: DomainEventName.MessageStatus,
      clientIdentifier: 'acc',
      channelId: 'ch',
      occurredAt: new Date(),
      payload: { messageId: 'm1', waMessageId: 'true_1@c.us_A', chatId: '1@c.us', platform: 'p', direction: 'outbound', status: 'sent', previousStatus: 'sending' },
    });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(outbox.attempts).toBe(3);
    expect(outbox.recorded).toHaveLength(1);
    expect(outbox.recorded[0]).toMatchObject({ type: 'message.status', data: { status: 'sent', waMessageId: 'true_1@c.us_A' } });
  });

  it('retries a session.status webhook the same way', async () => {
    const outbox = new FlakyOutbox(1);
    const events = await build(outbox);
    await events.publishAndWait({ name: DomainEventName.SessionStatus, clientIdentifier: 'acc', channelId: 'ch', occurredAt: new Date(), payload: { state: 'STOPPED', reason: 'SHUTDOWN' } });
    expect(outbox.recorded).toHaveLength(1);
    expect(outbox.recorded[0]).toMatchObject({ type: 'session.status', data: { state: 'STOPPED', reason: 'SHUTDOWN' } });
  });
});
