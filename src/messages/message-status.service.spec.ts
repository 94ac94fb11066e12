import { Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainEvent, DomainEventName, DomainEvents, EVENT_EMITTER_OPTIONS } from '../common/events/domain-events';
import { MessageStatusPayload, MessageStatusService, previousStatusOf } from './message-status.service';
import { MessageStatus, OutboundMessage, statusesBefore } from './message.types';
import { MessagesRepository } from './messages.repository';

const CTX = { clientIdentifier: 'acc', channelId: 'ch' };

/** The repository's status rules (forward only, times recorded per move) over an in-memory map. */
class FakeMessages {
  readonly byWaId = new Map<string, OutboundMessage>();

  add(waMessageId: string, over: Partial<OutboundMessage> = {}): OutboundMessage {
    const m: OutboundMessage = {
      id: `id-${waMessageId}`,
      clientIdentifier: CTX.clientIdentifier,
      channelId: CTX.channelId,
      direction: 'outbound',
      waMessageId,
      chatId: 'a@c.us',
      isGroup: false,
      fromMe: true,
      kind: 'text',
      status: 'sent',
      statusTimes: { queued: new Date(1_000), sent: new Date(2_000) },
      timestamp: new Date(1_000),
      createdAt: new Date(1_000),
      updatedAt: new Date(2_000),
      outbound: { op: 'send' },
      ...over,
    };
    this.byWaId.set(waMessageId, m);
    return m;
  }

  async advance(clientIdentifier: string, channelId: string, match: { id: string } | { waMessageId: string }, to: MessageStatus, set: Record<string, unknown> = {}) {
    const current = 'id' in match ? [...this.byWaId.values()].find((m) => m.id === match.id) : this.byWaId.get(match.waMessageId);
    if (!current || current.clientIdentifier !== clientIdentifier || current.channelId !== channelId) return undefined;
    if (!statusesBefore(to).includes(current.status)) return undefined;
    const after: OutboundMessage = { ...current, ...set, status: to, statusTimes: { ...current.statusTimes, [to]: new Date() } };
    this.byWaId.set(current.waMessageId!, after);
    return { message: after, previous: current.status };
  }

  async findByWaId(clientIdentifier: string, channelId: string, waMessageId: string) {
    const m = this.byWaId.get(waMessageId);
    return m && m.clientIdentifier === clientIdentifier && m.channelId === channelId ? m : undefined;
  }
}

/** Plays DomainEventWebhooks: records each `message.status`, or fails while `failing`. */
class FakeRecorder {
  recorded: DomainEvent[] = [];
  failing?: Error;
  delayMs = 0;
  async handle(e: DomainEvent): Promise<void> {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failing) throw this.failing;
    this.recorded.push(e);
  }
  statuses(): Array<Pick<MessageStatusPayload, 'status' | 'previousStatus'>> {
    return this.recorded.map((e) => {
      const p = e.payload as unknown as MessageStatusPayload;
      return { status: p.status, previousStatus: p.previousStatus };
    });
  }
}

describe('MessageStatusService', () => {
  let sut: MessageStatusService;
  let messages: FakeMessages;
  let recorder: FakeRecorder;

  beforeAll(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  beforeEach(() => {
    messages = new FakeMessages();
    recorder = new FakeRecorder();
    const events = new DomainEvents(new EventEmitter2(EVENT_EMITTER_OPTIONS));
    // As DomainEventWebhooks: both names are recorded under the same key.
    events.on(DomainEventName.MessageStatus, (e) => recorder.handle(e));
    events.on(DomainEventName.MessageStatusRepeated, (e) => recorder.handle(e));
    sut = new MessageStatusService(messages as unknown as MessagesRepository, events);
  });

  describe('onAck', () => {
    it('stores the status and returns only once its message.status is recorded', async () => {
      messages.add('w1');
      recorder.delayMs = 30;
      const moved = await sut.onAck(CTX, 'w1', 'delivered');
      expect(moved).toMatchObject({ id: 'id-w1', status: 'delivered' });
      expect(moved).not.toHaveProperty('outbound');
      expect(recorder.statuses()).toEqual([{ status: 'delivered', previousStatus: 'sent' }]);
      expect(recorder.recorded[0]).toMatchObject({ clientIdentifier: 'acc', channelId: 'ch', payload: { messageId: 'id-w1', waMessageId: 'w1', direction: 'outbound' } });
    });

    it('fails when the webhook could not be recorded, and records it when the same ack is applied again', async () => {
      messages.add('w1');
      recorder.failing = new Error('outbox unavailable');
      await expect(sut.onAck(CTX, 'w1', 'read')).rejects.toThrow('outbox unavailable');
      // The status itself was stored before the webhook failed.
      expect(messages.byWaId.get('w1')?.status).toBe('read');
      expect(recorder.recorded).toHaveLength(0);

      recorder.failing = undefined;
      await expect(sut.onAck(CTX, 'w1', 'read')).resolves.toBeUndefined();
      expect(recorder.statuses()).toEqual([{ status: 'read', previousStatus: 'sent' }]);
      // Dated when the status was reached, not when the ack came back.
      expect(recorder.recorded[0].occurredAt).toEqual(messages.byWaId.get('w1')?.statusTimes?.read);
    });

    it('still fails while the recording keeps failing on the ack applied again', async () => {
      messages.add('w1', { status: 'delivered', statusTimes: { queued: new Date(1), sent: new Date(2), delivered: new Date(3) } });
      recorder.failing = new Error('still down');
      await expect(sut.onAck(CTX, 'w1', 'delivered')).rejects.toThrow('still down');
    });

    it('publishes nothing for an ack behind the current status', async () => {
      messages.add('w1', { status: 'read', statusTimes: { queued: new Date(1), sent: new Date(2), read: new Date(3) } });
      await expect(sut.onAck(CTX, 'w1', 'delivered')).resolves.toBeUndefined();
      expect(recorder.recorded).toHaveLength(0);
    });

    it('publishes nothing for a message that started at the acked status (sent from the phone)', async () => {
      messages.add('w1', { status: 'sent', statusTimes: undefined, direction: 'inbound' });
      await sut.onAck(CTX, 'w1', 'sent');
      expect(recorder.recorded).toHaveLength(0);
      await sut.onAck(CTX, 'w1', 'delivered');
      expect(recorder.statuses()).toEqual([{ status: 'delivered', previousStatus: 'sent' }]);
    });

    it('publishes nothing for pending acks or unknown messages (the ack is kept for the send result)', async () => {
      messages.add('w1');
      await sut.onAck(CTX, 'w1', 'pending');
      await sut.onAck(CTX, 'unknown', 'read');
      expect(recorder.recorded).toHaveLength(0);
    });

    it('records a failed ack with its reason', async () => {
      messages.add('w1');
      await sut.onAck(CTX, 'w1', 'failed');
      expect(recorder.recorded[0].payload).toMatchObject({ status: 'failed', previousStatus: 'sent', reason: 'WHATSAPP_ACK_ERROR' });
    });
  });

  it('keeps the send pipeline fire and forget: a move neither waits for nor fails with the webhook', async () => {
    const m = messages.add('w1', { status: 'sending', statusTimes: { queued: new Date(1) } });
    recorder.failing = new Error('outbox unavailable');
    await expect(sut.move(m, 'failed', { reason: 'ENGINE_ERROR' })).resolves.toMatchObject({ status: 'failed', statusReason: 'ENGINE_ERROR' });
    recorder.failing = undefined;
    recorder.delayMs = 50;
    const m2 = messages.add('w2', { status: 'sending', statusTimes: { queued: new Date(1) } });
    await sut.move(m2, 'sent');
    expect(recorder.recorded).toHaveLength(0); // returned before the handler ran to its end
    await new Promise((r) => setTimeout(r, 80));
    expect(recorder.statuses()).toEqual([{ status: 'sent', previousStatus: 'sending' }]);
  });
});

describe('previousStatusOf', () => {
  const at = (...statuses: MessageStatus[]) => Object.fromEntries(statuses.map((s, i) => [s, new Date(i + 1)]));

  it('is the furthest status recorded before the current one', () => {
    expect(previousStatusOf({ status: 'read', statusTimes: at('queued', 'sent', 'delivered', 'read') })).toBe('delivered');
    expect(previousStatusOf({ status: 'read', statusTimes: at('queued', 'sent', 'read') })).toBe('sent');
    expect(previousStatusOf({ status: 'failed', statusTimes: at('queued', 'sent', 'failed') })).toBe('sent');
  });

  it('puts sending (never recorded) after queued, and sent first for messages from the phone', () => {
    expect(previousStatusOf({ status: 'sent', statusTimes: at('queued', 'sent') })).toBe('sending');
    expect(previousStatusOf({ status: 'failed', statusTimes: at('queued', 'failed') })).toBe('sending');
    expect(previousStatusOf({ status: 'delivered', statusTimes: at('delivered') })).toBe('sent');
  });
});
