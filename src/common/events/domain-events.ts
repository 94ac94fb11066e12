import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2, EventEmitterModuleOptions } from '@nestjs/event-emitter';

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

const NAMES: ReadonlySet<DomainEventName> = new Set(Object.values(DomainEventName));

export interface DomainEvent<P = Record<string, unknown>> {
  name: DomainEventName;
  clientIdentifier: string;
  channelId: string;
  occurredAt: Date;
  payload: P;
}

type Handler = (event: DomainEvent) => Promise<void> | void;

/** What a registered handler reports to the bus: it never rejects, so every failure is seen. */
type Outcome = { failed: false } | { failed: true; error: unknown };

/**
 * The options of the app's one EventEmitter2 (EventEmitterModule.forRoot). Dotted names are plain
 * names here (no wildcard matching): `*` handlers are EventEmitter2's `onAny` listeners.
 */
export const EVENT_EMITTER_OPTIONS: EventEmitterModuleOptions = { wildcard: false, maxListeners: 50, ignoreErrors: false };

/** Every handler that failed in `publishAndWait`, when more than one did. */
export class DomainEventHandlersFailed extends AggregateError {
  constructor(event: DomainEventName, errors: unknown[]) {
    super(errors, `${errors.length} handlers of ${event} failed`);
    this.name = 'DomainEventHandlersFailed';
  }
}

/**
 * In-process bus between modules, over @nestjs/event-emitter's EventEmitter2 (the app's one
 * in-process event mechanism). This class keeps the typed vocabulary and the two ways to publish.
 * Handlers run after the publisher's own write is done, never inline in `publish`.
 * `publish` is fire and forget: durability comes from the stores (e.g. the webhook outbox),
 * never from this bus. A publisher whose own retry must cover its handlers' writes too (the
 * ack path: the journal entry stays until the `message.status` webhook is recorded) uses
 * `publishAndWait` instead.
 */
@Injectable()
export class DomainEvents {
  private readonly logger = new Logger(DomainEvents.name);

  constructor(private readonly emitter: EventEmitter2) {}

  /** Subscribes `handler` to one name, or to every event with `*`; returns the unsubscribe. */
  on(name: DomainEventName | '*', handler: Handler): () => void {
    if (name === '*') {
      // The emitter also carries internal events of other shapes: `*` hears domain events only.
      const any = (emitted: string | string[], event: DomainEvent) =>
        NAMES.has(emitted as DomainEventName) ? this.run(handler, event) : Promise.resolve<Outcome>({ failed: false });
      this.emitter.onAny(any);
      return () => void this.emitter.offAny(any);
    }
    const listener = (event: DomainEvent) => this.run(handler, event);
    this.emitter.on(name, listener);
    return () => void this.emitter.off(name, listener);
  }

  /** Runs the handlers in the background; their failures are logged, never seen by the publisher. */
  publish(event: DomainEvent): void {
    void this.outcomes(event).then((outcomes) => {
      for (const o of outcomes) if (o.failed) this.logger.error({ err: o.error, event: event.name }, 'Domain event handler failed');
    });
  }

  /**
   * Runs every handler of the event (its name's and `*`'s) side by side and resolves once all have
   * settled. Rejects when any failed: with that handler's error when one failed (so a caller error,
   * an AppError, stays recognisable), with DomainEventHandlersFailed when several did.
   */
  async publishAndWait(event: DomainEvent): Promise<void> {
    const errors = (await this.outcomes(event)).flatMap((o) => (o.failed ? [o.error] : []));
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new DomainEventHandlersFailed(event.name, errors);
  }

  /** `emitAsync` calls every listener at once; each resolves to its outcome (none rejects). */
  private async outcomes(event: DomainEvent): Promise<Outcome[]> {
    const outcomes = (await this.emitter.emitAsync(event.name, event)) as Outcome[] | false;
    return outcomes || [];
  }

  /** A handler that throws synchronously fails like one that rejects; neither runs inline. */
  private run(handler: Handler, event: DomainEvent): Promise<Outcome> {
    return Promise.resolve()
      .then(() => handler(event))
      .then(
        (): Outcome => ({ failed: false }),
        (error: unknown): Outcome => ({ failed: true, error }),
      );
  }
}
