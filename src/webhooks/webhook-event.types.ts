import { DomainEventName } from '../common/events/domain-events';

/** Webhook `type`s: the public subset of the domain event names. Renaming one is a breaking change. */
export const WEBHOOK_EVENT_TYPES = [
  DomainEventName.MessageReceived,
  DomainEventName.MessageStatus,
  DomainEventName.MessageRevoked,
  DomainEventName.MessageEdited,
  DomainEventName.MessageReaction,
  DomainEventName.GroupJoin,
  DomainEventName.GroupLeave,
  DomainEventName.SessionStatus,
  DomainEventName.WebhookTest,
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Version of the payload envelope and of every `data` shape; bumped only for breaking changes. */
export const WEBHOOK_PAYLOAD_VERSION = 1;

/**
 * - pending: stored, waiting for its first attempt (or replayed).
 * - failed: the last attempt failed; the next one is due at `nextAttemptAt`.
 * - delivered: a 2xx answer.
 * - dead: no more automatic attempts (schedule exhausted, 410, endpoint disabled or removed): replayable.
 */
export const WEBHOOK_EVENT_STATES = ['pending', 'failed', 'delivered', 'dead'] as const;
export type WebhookEventState = (typeof WEBHOOK_EVENT_STATES)[number];
/** States with attempts still to come (the worker's and the sweeper's). */
export const OPEN_STATES = ['pending', 'failed'] as const satisfies readonly WebhookEventState[];
/** States no automatic attempt leaves (a replay does). */
export const FINISHED_STATES = ['delivered', 'dead'] as const satisfies readonly WebhookEventState[];
export type FinishedState = (typeof FINISHED_STATES)[number];

/** The body every platform receives (JSON, signed with Standard Webhooks). */
export interface WebhookPayload<D = Record<string, unknown>> {
  version: typeof WEBHOOK_PAYLOAD_VERSION;
  /** Same as the `webhook-id` header: stable across retries and replays, so receivers dedupe on it. */
  id: string;
  type: WebhookEventType;
  /** When the event was recorded (ISO 8601). */
  createdAt: string;
  clientIdentifier: string;
  channelId: string;
  /** Slug of the platform endpoint this copy goes to. */
  platform: string;
  /** The chat and the event's position in it (strictly increasing per chat; gaps are possible). Null for channel events. */
  chat: { id: string; seq: number } | null;
  data: D;
}

export interface WebhookAttempt {
  at: Date;
  /** 1-based over the event's whole life (replays continue the count). */
  attempt: number;
  status?: number;
  latencyMs: number;
  error?: string;
  outcome: 'delivered' | 'retry' | 'throttled' | 'dead';
}

/** One stored event: the outbox row and the delivery log in one. */
export interface WebhookEventRecord {
  eventId: string;
  /** Readable dedupe key the id is derived from (`<channelId>:message.received:<waMessageId>`...). */
  key: string;
  clientIdentifier: string;
  channelId: string;
  platform: string;
  type: WebhookEventType;
  chatId?: string;
  seq?: number;
  /** The exact JSON sent (signatures cover these bytes). */
  body: string;
  state: WebhookEventState;
  attempts: WebhookAttempt[];
  attemptCount: number;
  /** Failed attempts that used up a step of the retry schedule since the last replay. */
  failures: number;
  replays: number;
  firstAttemptAt?: Date;
  nextAttemptAt?: Date;
  deliveredAt?: Date;
  lastStatus?: number;
  lastError?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What BullMQ carries: enough to take the endpoint's concurrency slot before touching the database. */
export interface DeliveryJobData {
  eventId: string;
  clientIdentifier: string;
  channelId: string;
  platform: string;
  /**
   * Set by the outbox on a newly recorded event: the body, so the first attempt needs no read
   * of the row it has just written. Dropped after a failed attempt; jobs added by the sweeper
   * and by replays never carry it, and a stalled or retried job ignores it.
   */
  fresh?: { body: string; createdAt: number; key: string; type: WebhookEventType; chatId?: string; seq?: number };
}
