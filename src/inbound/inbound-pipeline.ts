import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppError } from '../common/errors/app-error';
import { MessageStatusService } from '../messages/message-status.service';
import { EngineContext, InboundEventSink } from '../whatsapp/engine/inbound-sink.port';
import type { ChannelMessenger, InboundEngineEvent } from '../whatsapp/engine/messaging-engine.port';
import { ChannelProviders } from '../providers/channel-providers';
import { ChannelLanes } from './channel-lanes';
import { ChatEventHandler } from './chat-event.handler';
import { InboundJournal, JournalEntry } from './inbound-journal';
import { InboundMessageHandler } from './inbound-message.handler';

/** Transient failures (a database failover, a Redis restart) are retried this many times, backing off. */
const ATTEMPTS = 5;
const BACKOFF_MS = 250;
/** Events of one channel journaled but not yet applied before the session is made to wait. */
const MAX_BACKLOG = 1_000;
/** Events waiting for the journal write before sessions are made to wait; and the largest write. */
const MAX_BUFFER = 2_000;
const MAX_BATCH = 500;
/** How long shutdown waits for journaled events to be applied (the rest is applied at the next boot). */
const DRAIN_ON_SHUTDOWN_MS = 10_000;

/** The chat an event belongs to: its events are applied in order, other chats in parallel. */
function chatOf(event: InboundEngineEvent): string {
  switch (event.type) {
    case 'message':
      return event.message.chatId;
    case 'group_join':
    case 'group_leave':
      return event.groupId;
    default:
      return event.chatId;
  }
}

/**
 * The InboundEventSink: every engine event of every session. Events go to the inbound journal
 * (a Redis stream) first, written in batches (group commit: while one write is in flight the
 * next events gather, so the journal keeps up with any burst and little waits in memory). Each journaled event is
 * then applied in its chat's lane, in arrival order (chats side by side): message stored once, webhook events
 * recorded, journal entry removed. A process that dies leaves its unapplied entries in the
 * journal; InboundRecovery applies them (at boot and every sweep interval), idempotently.
 *
 * `handle` returns once the event is queued for the journal write, so the session hands over
 * the next event at once; it waits only when the buffer or the channel's lane is full.
 */
@Injectable()
export class InboundPipeline extends InboundEventSink implements OnApplicationShutdown {
  private readonly logger = new Logger(InboundPipeline.name);
  private readonly lanes = new ChannelLanes();
  private readonly inFlight = new Set<string>();
  private buffer: { entry: JournalEntry; session: ChannelMessenger }[] = [];
  private writing?: Promise<void>;
  private closed = false;

  constructor(
    private readonly journal: InboundJournal,
    private readonly messages: InboundMessageHandler,
    private readonly chats: ChatEventHandler,
    private readonly statuses: MessageStatusService,
    private readonly moduleRef: ModuleRef,
  ) {
    super();
  }

  async handle(ctx: EngineContext, event: InboundEngineEvent, session: ChannelMessenger): Promise<void> {
    this.buffer.push({ entry: this.journal.entry(ctx, event), session });
    this.writing ??= this.writeJournal().finally(() => (this.writing = undefined));
    // Backpressure: a session that outruns storage waits here.
    while (this.buffer.length > MAX_BUFFER && this.writing !== undefined) await this.writing;
    await this.lanes.below(ctx.channelId, MAX_BACKLOG);
  }

  /** Journals the events (awaited), then applies them in their channel's lanes like any other. */
  async store(ctx: EngineContext, events: InboundEngineEvent[], messenger: ChannelMessenger): Promise<void> {
    if (events.length === 0) return;
    const entries = events.map((event) => this.journal.entry(ctx, event));
    await this.journal.appendMany(entries);
    for (const entry of entries) void this.schedule(entry, messenger);
  }

  /** Writes buffered events until none is left; a failed write is retried (same ids) until it succeeds. */
  private async writeJournal(): Promise<void> {
    for (let failures = 0; this.buffer.length > 0; ) {
      const batch = this.buffer.slice(0, MAX_BATCH);
      try {
        await this.journal.appendMany(batch.map((b) => b.entry));
      } catch (err) {
        if (this.closed) return;
        failures++;
        this.logger.error({ err, events: batch.length, failures }, 'Could not write inbound events to the journal; retrying');
        await new Promise((r) => setTimeout(r, Math.min(5_000, BACKOFF_MS * 2 ** failures)));
        continue;
      }
      failures = 0;
      this.buffer.splice(0, batch.length);
      for (const { entry, session } of batch) void this.schedule(entry, session);
    }
  }

  /** Applies a journal entry in its channel's lane, then removes it. Failures leave it for recovery. */
  schedule(entry: JournalEntry, session?: ChannelMessenger): Promise<void> {
    if (this.closed || this.inFlight.has(entry.id)) return Promise.resolve();
    this.inFlight.add(entry.id);
    return this.lanes
      .push(entry.ctx.channelId, chatOf(entry.event), async () => {
        try {
          await this.retrying(entry.ctx, entry.event, 'apply', () => this.apply(entry, session));
          await this.journal.remove(entry);
        } catch (err) {
          // A caller error will never succeed: drop it (logged). Anything else stays journaled.
          if (err instanceof AppError) await this.journal.remove(entry).catch(() => undefined);
        } finally {
          this.inFlight.delete(entry.id);
        }
      })
      .catch(() => undefined);
  }

  isApplying(entryId: string): boolean {
    return this.inFlight.has(entryId);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.drain();
    this.close();
  }

  /** Waits (bounded) until every event handed over is journaled and applied; the rest stays journaled. */
  async drain(boundMs = DRAIN_ON_SHUTDOWN_MS): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const drain = async () => {
      while (this.writing) await this.writing;
      await this.lanes.drained();
    };
    await Promise.race([drain(), new Promise((r) => (timer = setTimeout(r, boundMs)))]);
    clearTimeout(timer);
  }

  /**
   * The database and Redis are about to close: nothing starts or retries any more (retrying against a
   * closed connection only held the process up and filled the log). Entries not applied stay
   * journaled; the next boot (or another process) applies them.
   */
  close(): void {
    this.closed = true;
  }

  private async apply(entry: JournalEntry, live?: ChannelMessenger): Promise<unknown> {
    const { ctx, event } = entry;
    switch (event.type) {
      case 'message':
        return this.messages.handle(ctx, event.message, live ?? (await this.liveSession(ctx)));
      case 'ack':
        // Stored forward-only and published as `message.status`, which DomainEventWebhooks delivers.
        return this.statuses.onAck(ctx, event.messageId, event.ack, { error: event.error, pricing: event.pricing });
      case 'revoke':
        return this.chats.revoke(ctx, event);
      case 'edit':
        return this.chats.edit(ctx, event);
      case 'reaction':
        return this.chats.reaction(ctx, event);
      case 'group_join':
      case 'group_leave':
        return this.chats.group(ctx, event, entry.id);
    }
  }

  /** Recovery has no session object: the channel's live one, if this process runs it (for media). */
  private async liveSession(ctx: EngineContext): Promise<ChannelMessenger | undefined> {
    try {
      return await this.moduleRef.get(ChannelProviders, { strict: false }).requireReady(ctx.clientIdentifier, ctx.channelId);
    } catch {
      return undefined;
    }
  }

  private async retrying<T>(ctx: EngineContext, event: InboundEngineEvent, step: string, task: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await task();
      } catch (err) {
        if (err instanceof AppError || attempt >= ATTEMPTS || this.closed) {
          this.logger.error({ err, channelId: ctx.channelId, type: event.type, step, attempt }, 'Inbound event failed');
          throw err;
        }
        this.logger.warn({ err, channelId: ctx.channelId, type: event.type, step, attempt }, 'Inbound event failed; retrying');
        await new Promise((r) => setTimeout(r, BACKOFF_MS * 2 ** (attempt - 1)));
      }
    }
  }
}
