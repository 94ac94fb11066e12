import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { MediaStore } from '../../media/media.store';
import type { ChannelMessenger, SentMessage } from '../../whatsapp/engine/messaging-engine.port';
import { ChannelProviders } from '../../providers/channel-providers';
import { MessageStatusService } from '../message-status.service';
import type { OutboundMessage } from '../message.types';
import { MessagesRepository } from '../messages.repository';
import { SendFailureReason } from '../messages.errors';
import { toEngineContent, UnsendableError } from './engine-content';
import { describeError, isTransient, pause, providerReason, throttledFor, withTimeout } from './send-errors';
import { ActionResult, SendJobData } from './send-jobs';
import { SentLedger } from './sent-ledger';

/** What the worker of one channel hands the processor. */
export interface ChannelWork {
  channelId: string;
  /** The linked account (`<digits>@c.us`), from the session's READY event. */
  me?: string;
  /** Aborts when the session leaves READY and the worker stops. */
  signal: AbortSignal;
  /** Puts a message back at the head of the queue (used when the worker stops mid-send). */
  requeueFirst(clientIdentifier: string, messageId: string): Promise<void>;
}

/** What WhatsApp accepted: the message's id (and the extra ids of a multi-card send). */
interface Accepted {
  id?: string;
  timestamp?: number;
  extra: string[];
}

export const SEND_TIMEOUT_MS = 60_000;
const RECORD_SENT_MAX_BACKOFF_MS = 5_000;
/** Tries of one send (waits 1, 2, 4, 8 s between them) while the session is not there or times out. */
export const SEND_MAX_ATTEMPTS = 5;
/** Provider throttling answers one send may wait out before it counts as failed tries again. */
const MAX_THROTTLED_WAITS = 30;

/**
 * Runs one job of a channel's send queue. Retries happen inline (not through BullMQ's delayed
 * retries), so a message waiting for its session keeps the messages behind it waiting too: order
 * per chat holds through disconnects.
 */
@Injectable()
export class SendProcessor {
  private readonly logger = new Logger(SendProcessor.name);

  constructor(
    private readonly repository: MessagesRepository,
    private readonly status: MessageStatusService,
    private readonly media: MediaStore,
    private readonly sessions: ChannelProviders,
    private readonly ledger: SentLedger,
  ) {}

  async process(data: SendJobData, work: ChannelWork): Promise<ActionResult | void> {
    if (data.op === 'send') return this.send(data.clientIdentifier, data.messageId, work);
    return this.action(data, work);
  }

  // ----------------------------------------------------------------------------------- sends

  private async send(clientIdentifier: string, messageId: string, work: ChannelWork): Promise<void> {
    const message = await this.repository.findById(clientIdentifier, messageId);
    if (!message || message.direction !== 'outbound' || message.channelId !== work.channelId) return;
    if (message.status === 'sending') return this.interrupted(message);
    if (message.status !== 'queued') return; // a duplicate job: already done

    let throttles = 0;
    for (let attempt = 1; ; attempt++) {
      let session: ChannelMessenger;
      try {
        session = await this.sessions.requireReady(clientIdentifier, work.channelId);
      } catch (err) {
        if (!isTransient(err)) return void (await this.fail(message, SendFailureReason.ENGINE_ERROR, err));
        if (!(await this.backoff(attempt, work))) return work.requeueFirst(clientIdentifier, messageId);
        if (attempt >= SEND_MAX_ATTEMPTS) attempt = SEND_MAX_ATTEMPTS - 1; // not READY: wait as long as the worker runs
        continue;
      }
      let prepared: Awaited<ReturnType<SendProcessor['prepare']>>;
      try {
        prepared = await this.prepare(message);
      } catch (err) {
        if (err instanceof UnsendableError) return void (await this.fail(message, err.reason, err));
        throw err;
      }
      if (!(await this.repository.claimForSending(clientIdentifier, work.channelId, messageId, attempt))) return;
      let accepted: Accepted;
      try {
        accepted = await this.deliver(session, message, prepared);
      } catch (err) {
        // The echo of the message may have arrived: then it was sent whatever the call said.
        const now = await this.repository.findById(clientIdentifier, messageId);
        if (now?.waMessageId) return this.recordSent(message, { id: now.waMessageId, extra: [] }, work);
        const throttled = ++throttles <= MAX_THROTTLED_WAITS ? throttledFor(err) : undefined;
        if (throttled === undefined && (!isTransient(err) || attempt >= SEND_MAX_ATTEMPTS)) {
          const reason = providerReason(err) ?? (isTransient(err) ? SendFailureReason.SEND_TIMEOUT : SendFailureReason.ENGINE_ERROR);
          return void (await this.fail(message, reason, err));
        }
        await this.repository.releaseToQueue(clientIdentifier, work.channelId, messageId, describeError(err));
        this.logger.warn({ channelId: work.channelId, messageId, attempt, throttledMs: throttled, err: describeError(err) }, 'Send failed, will retry');
        if (throttled !== undefined) {
          // Throttling is the provider pacing us, not a failed try: wait as told, keep the attempt.
          attempt--;
          if (!(await pause(throttled, work.signal))) return work.requeueFirst(clientIdentifier, messageId);
          continue;
        }
        if (!(await this.backoff(attempt, work))) return work.requeueFirst(clientIdentifier, messageId);
        continue;
      }
      // WhatsApp accepted it: from here on it is `sent`, whatever the database says (its own try).
      return this.recordSent(message, accepted, work);
    }
  }

  /** The engine call only: what WhatsApp accepted, or a throw when it did not. */
  private async deliver(session: ChannelMessenger, message: OutboundMessage, prepared: Awaited<ReturnType<SendProcessor['prepare']>>): Promise<Accepted> {
    if (message.outbound.op === 'forward') {
      const sent = await withTimeout(session.forward(prepared.forwardOf!, message.chatId), SEND_TIMEOUT_MS);
      return { id: sent?.id, timestamp: sent?.timestamp, extra: [] };
    }
    const content = prepared.content!;
    if (content.kind === 'contacts' && content.vcards.length > 1) {
      // One WhatsApp message per card (a vCard string carries one contact): the first is the message's id.
      const ids: string[] = [];
      let first: SentMessage | undefined;
      for (const [i, vcard] of content.vcards.entries()) {
        const sent = await withTimeout(session.sendMessage(message.chatId, { kind: 'contacts', vcards: [vcard] }, { quotedMessageId: i === 0 ? prepared.quoted : undefined }), SEND_TIMEOUT_MS);
        first ??= sent;
        ids.push(sent.id);
      }
      return { id: first?.id, timestamp: first?.timestamp, extra: ids.slice(1) };
    }
    const sent = await withTimeout(session.sendMessage(message.chatId, content, { quotedMessageId: prepared.quoted }), SEND_TIMEOUT_MS);
    return { id: sent.id, timestamp: sent.timestamp, extra: [] };
  }

  /**
   * Stores `sent` after WhatsApp accepted the message, retrying on its own until the database takes
   * it: a write that fails here must never turn into `failed` (a platform that resends would make the
   * customer get it twice). The id is noted in Redis first, so a process that dies before the write
   * still settles the message as `sent` (see interrupted).
   */
  private async recordSent(message: OutboundMessage, accepted: Accepted, work: ChannelWork): Promise<void> {
    if (accepted.id) await this.ledger.note(message.id, accepted.id).catch((err: unknown) => this.logger.warn({ err: describeError(err), messageId: message.id }, 'Could not note the sent id in Redis'));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.sent(message, accepted.id, accepted.timestamp, work, accepted.extra);
      } catch (err) {
        this.logger.warn({ messageId: message.id, attempt, err: describeError(err) }, 'WhatsApp accepted the message but storing `sent` failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(RECORD_SENT_MAX_BACKOFF_MS, 250 * 2 ** (attempt - 1))));
      }
    }
  }

  private async prepare(message: OutboundMessage): Promise<{ content?: ReturnType<typeof toEngineContent>; quoted?: string; forwardOf?: string }> {
    if (message.outbound.op === 'forward') {
      const source = message.outbound.forwardOf ? await this.repository.findById(message.clientIdentifier, message.outbound.forwardOf) : undefined;
      if (!source?.waMessageId) throw new UnsendableError(SendFailureReason.SOURCE_NOT_SENT, 'the forwarded message never reached WhatsApp');
      return { forwardOf: source.waMessageId };
    }
    let quoted = message.quotedWaMessageId;
    if (!quoted && message.outbound.quotedMessageId) {
      quoted = (await this.repository.findById(message.clientIdentifier, message.outbound.quotedMessageId))?.waMessageId;
    }
    const media = message.media?.mediaId ? await this.media.get(message.clientIdentifier, message.media.mediaId) : undefined;
    return { content: toEngineContent(message, media), quoted };
  }

  private async sent(message: OutboundMessage, waMessageId: string | undefined, timestamp: number | undefined, work: ChannelWork, extraWaIds: string[] = []): Promise<void> {
    const set: Record<string, unknown> = {};
    if (work.me) set.senderId = work.me;
    if (timestamp) set.timestamp = new Date(timestamp * 1000);
    await this.status.markSent(message, waMessageId, set);
    await this.repository.addExtraWaIds(message.clientIdentifier, message.channelId, message.id, extraWaIds);
  }

  /** For the sweeper: a send left `sending` with no job. */
  settleInterrupted(message: OutboundMessage): Promise<void> {
    return this.interrupted(message);
  }

  /** A job found its message mid-send: the process died during the call. Sent once at most, never twice. */
  private async interrupted(message: OutboundMessage): Promise<void> {
    if (message.waMessageId) return this.status.markSent(message, message.waMessageId);
    const noted = await this.ledger.find(message.id).catch(() => undefined);
    if (noted) return this.status.markSent(message, noted);
    this.logger.warn({ messageId: message.id }, 'Send was interrupted; not resending (at most once)');
    await this.fail(message, SendFailureReason.SEND_INTERRUPTED, new Error('the server stopped during the send; it may or may not have reached WhatsApp'));
  }

  private async fail(message: OutboundMessage, reason: string, err: unknown): Promise<void> {
    this.logger.warn({ messageId: message.id, channelId: message.channelId, reason, err: describeError(err) }, 'Message failed');
    await this.status.move(message, 'failed', { reason: `${reason}: ${describeError(err)}` });
  }

  /** Waits before the next try; false when the worker is stopping. */
  private backoff(attempt: number, work: ChannelWork): Promise<boolean> {
    return pause(Math.min(1000 * 2 ** (attempt - 1), 8000), work.signal);
  }

  // --------------------------------------------------------------------------------- actions

  private async action(data: Extract<SendJobData, { op: 'react' | 'delete' }>, work: ChannelWork): Promise<ActionResult> {
    const target = await this.repository.findById(data.clientIdentifier, data.messageId);
    if (!target || target.channelId !== work.channelId) throw new UnrecoverableError(`MESSAGE_NOT_FOUND: message ${data.messageId} is not in this channel`);
    if (!target.waMessageId) throw new UnrecoverableError(`MESSAGE_NOT_SENT: message ${data.messageId} never reached WhatsApp (${target.status})`);
    const session = await this.readySession(data.clientIdentifier, work);
    // The engine reports our own reaction and revoke as events; the inbound pipeline stores them and
    // tells the platforms (one owner for those webhooks). Only a delete-for-me has no event: stored here.
    if (data.op === 'react') {
      await withTimeout(session.react(target.waMessageId, data.emoji, target.chatId), SEND_TIMEOUT_MS);
      return { op: 'react', messageId: target.id, emoji: data.emoji };
    }
    const outcome = await withTimeout(session.deleteMessage(target.waMessageId, true), SEND_TIMEOUT_MS);
    if (outcome === 'deleted_for_me') await this.repository.markRevoked(data.clientIdentifier, work.channelId, target.waMessageId, outcome, work.me);
    return { op: 'delete', messageId: target.id, outcome };
  }

  private async readySession(clientIdentifier: string, work: ChannelWork): Promise<ChannelMessenger> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.sessions.requireReady(clientIdentifier, work.channelId);
      } catch (err) {
        if (!isTransient(err) || attempt >= SEND_MAX_ATTEMPTS || !(await this.backoff(attempt, work))) throw new UnrecoverableError(describeError(err));
      }
    }
  }
}
