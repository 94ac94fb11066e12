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
  /** A test event an operator sends to one endpoint from the console (webhook type only). */
  WebhookTest: 'webhook.test',
  ChannelDeleted: 'channel.deleted',
  ConversationStarted: 'conversation.started',
  ConversationEnded: 'conversation.ended',
  /**
   * Internal, never a webhook type: an ack applied again found its status already stored, so
   * the `message.status` of that move may be the one a crash lost. Its webhook handler records
   * it under the same key as the original (a no-op when that was recorded). A name of its own so
   * that listeners of `message.status` still hear each change once.
   */
  MessageStatusRepeated: 'message.status.repeated',
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

/** Every handler that failed in `publishAndWait`, when more than one did. */
export class DomainEventHandlersFailed extends AggregateError {
  constructor(event: DomainEventName, errors: unknown[]) {
    super(errors, `${errors.length} handlers of ${event} failed`);
    this.name = 'DomainEventHandlersFailed';
  }
}

/**
 * In-process bus between modules. Handlers run after the publisher's own write is done.
 * `publish` is fire and forget: durability comes from the stores (e.g. the webhook outbox),
 * never from this bus. A publisher whose own retry must cover its handlers' writes too (the
 * ack path: the journal entry stays until the `message.status` webhook is recorded) uses
 * `publishAndWait` instead.
 */
@Injectable()
export class DomainEvents {
  private readonly emitter = new EventEmitter({ captureRejections: false });
  /** The same handlers, for publishAndWait (one entry per `on` call, like the emitter's listeners). */
  private readonly handlers = new Map<DomainEventName | '*', Set<{ handler: Handler }>>();
  private readonly logger = new Logger(DomainEvents.name);

  constructor() {
    this.emitter.setMaxListeners(50);
  }

  on(name: DomainEventName | '*', handler: Handler): () => void {
    const wrapped = (event: DomainEvent) => {
      this.run(handler, event).catch((err: unknown) => this.logger.error({ err, event: event.name }, 'Domain event handler failed'));
    };
    this.emitter.on(name, wrapped);
    const entry = { handler };
    const set = this.handlers.get(name) ?? new Set<{ handler: Handler }>();
    set.add(entry);
    this.handlers.set(name, set);
    return () => {
      this.emitter.off(name, wrapped);
      set.delete(entry);
    };
  }

  /** Runs the handlers in the background; their failures are logged, never seen by the publisher. */
  publish(event: DomainEvent): void {
    this.emitter.emit(event.name, event);
    this.emitter.emit('*', event);
  }

  /**
   * Runs every handler of the event (its name's and `*`'s) side by side and resolves once all have
   * settled. Rejects when any failed: with that handler's error when one failed (so a caller error,
   * an AppError, stays recognisable), with DomainEventHandlersFailed when several did.
   */
  async publishAndWait(event: DomainEvent): Promise<void> {
    const handlers = [...(this.handlers.get(event.name) ?? []), ...(this.handlers.get('*') ?? [])];
    const results = await Promise.allSettled(handlers.map((h) => this.run(h.handler, event)));
    const errors = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new DomainEventHandlersFailed(event.name, errors);
  }

  /** A handler that throws synchronously fails like one that rejects. */
  private run(handler: Handler, event: DomainEvent): Promise<void> {
    return Promise.resolve().then(() => handler(event));
  }
}
