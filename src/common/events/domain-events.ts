import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/**
 * The dotted event names modules publish. The same names are the public webhook
 * vocabulary (`type` in webhook payloads), so renaming one is a breaking change.
 */
export const DomainEventName = {
  SessionStatus: 'session.status',
  MessageReceived: 'message.received',
  MessageStatus: 'message.status',
  MessageRevoked: 'message.revoked',
  MessageEdited: 'message.edited',
  MessageReaction: 'message.reaction',
  GroupJoin: 'group.join',
  GroupLeave: 'group.leave',
  ChannelDeleted: 'channel.deleted',
  ConversationStarted: 'conversation.started',
  ConversationEnded: 'conversation.ended',
} as const;

export type DomainEventName = (typeof DomainEventName)[keyof typeof DomainEventName];

export interface DomainEvent<P = Record<string, unknown>> {
  name: DomainEventName;
  clientIdentifier: string;
  channelId: string;
  occurredAt: Date;
  payload: P;
}

type Handler = (event: DomainEvent) => Promise<void> | void;

/**
 * In-process bus between modules. Handlers run after the publisher's own write is done;
 * durability comes from the stores (e.g. the webhook outbox), never from this bus.
 */
@Injectable()
export class DomainEvents {
  private readonly emitter = new EventEmitter({ captureRejections: false });
  private readonly logger = new Logger(DomainEvents.name);

  constructor() {
    this.emitter.setMaxListeners(50);
  }

  on(name: DomainEventName | '*', handler: Handler): () => void {
    const wrapped = (event: DomainEvent) => {
      Promise.resolve()
        .then(() => handler(event))
        .catch((err: unknown) => this.logger.error({ err, event: event.name }, 'Domain event handler failed'));
    };
    this.emitter.on(name, wrapped);
    return () => this.emitter.off(name, wrapped);
  }

  publish(event: DomainEvent): void {
    this.emitter.emit(event.name, event);
    this.emitter.emit('*', event);
  }
}
