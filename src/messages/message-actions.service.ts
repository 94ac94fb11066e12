import { ChannelProviders } from '../providers/channel-providers';
import { describeError } from './pipeline/send-errors';
import { assertFeatureSupported } from '../providers/provider-capabilities';
import type { MessageService } from '../channels/channel.types';
import { SendWorkers } from './pipeline/send-workers';
import { Injectable } from '@nestjs/common';
import { ChannelsService } from '../channels/channels.service';
import { AppError } from '../common/errors/app-error';
import { DeleteMessageDto, SendReactionDto } from './dto/kind-messages.dto';
import { MessageView, OutboundMessage } from './message.types';
import { MessageErrorCode } from './messages.errors';
import { MessagesRepository, publicView } from './messages.repository';
import { ActionResult } from './pipeline/send-jobs';
import { SendQueues } from './pipeline/send-queues';
import { SendTargetResolver } from './send-target.resolver';

/** How long a reaction or delete answer waits for WhatsApp's own event of it (5 s: a loaded 2-core machine took over 2). */
const SETTLE_MS = 5_000;

/** How long a reaction or delete call waits for its turn in the send queue before answering 202. */
export const ACTION_WAIT_MS = 30_000;

export type ActionAnswer<T> = { state: 'done'; value: T } | { state: 'queued'; message: MessageView };

const digits = (id: string | undefined) => (id ?? '').replace(/@.*$/, '').replace(/\D/g, '');

/**
 * Reactions and deletes run through the channel's send queue too (same order and pacing as sends: a
 * reaction to a message just accepted waits for it to be sent), and the call waits for the outcome.
 */
@Injectable()
export class MessageActionsService {
  constructor(
    private readonly targets: SendTargetResolver,
    private readonly repository: MessagesRepository,
    private readonly queues: SendQueues,
    private readonly channels: ChannelsService,
    private readonly workers: SendWorkers,
    private readonly providers: ChannelProviders,
  ) {}

  async react(clientIdentifier: string, dto: SendReactionDto): Promise<ActionAnswer<{ message: MessageView; emoji: string }>> {
    const target = await this.targets.resolve(clientIdentifier, dto);
    const message = (await this.repository.findByReference(clientIdentifier, dto.messageId, target.channel.id)).find((m) => m.chatId === target.chatId);
    if (!message) throw AppError.notFound(MessageErrorCode.MESSAGE_NOT_FOUND, `Message ${dto.messageId} is not in this chat`);
    assertSendable(message);
    assertFeatureSupported(target.channel.service, 'reaction');
    await this.targets.assertReady(clientIdentifier, target.channel.id);
    await this.workers.startStateless(clientIdentifier, target.channel.id, target.channel.service, `${target.channel.provider.clientNumber}@c.us`);
    const outcome = await this.run(message, { op: 'react', clientIdentifier, messageId: message.id, emoji: dto.emoji });
    if (outcome.state === 'queued') return outcome;
    return { state: 'done', value: { message: outcome.message, emoji: dto.emoji } };
  }

  /**
   * 5.12 / 6.12. `messageId` is ours or WhatsApp's; `channelSlug` must be a platform of the message's
   * channel; `senderId` must be who sent it (the channel's number for our messages; in groups, where
   * admins may delete others' messages, that member).
   */
  async delete(clientIdentifier: string, dto: DeleteMessageDto): Promise<ActionAnswer<{ message: MessageView; outcome: 'revoked' }>> {
    const candidates = await this.repository.findByReference(clientIdentifier, dto.messageId);
    let message: OutboundMessage | undefined;
    let channelNumber = '';
    let service: MessageService = 'whatsappweb';
    for (const candidate of candidates) {
      const channel = await this.channels.getById(clientIdentifier, candidate.channelId).catch(() => undefined);
      if (channel?.platforms.some((p) => p.slug === dto.channelSlug)) {
        message = candidate;
        channelNumber = channel.provider.clientNumber;
        service = channel.service;
        break;
      }
    }
    if (!message) throw AppError.notFound(MessageErrorCode.MESSAGE_NOT_FOUND, `Message ${dto.messageId} not found on a channel with platform "${dto.channelSlug}"`);
    const senders = message.fromMe ? [digits(message.senderId), digits(channelNumber)] : [digits(message.senderId)];
    if (!senders.filter(Boolean).includes(digits(dto.senderId)))
      throw AppError.unprocessable(MessageErrorCode.SENDER_MISMATCH, `Message ${message.id} was not sent by ${dto.senderId}`, { senderId: message.senderId });
    assertSendable(message);
    assertFeatureSupported(service, 'delete');
    await this.targets.assertReady(clientIdentifier, message.channelId);
    const outcome = await this.run(message, { op: 'delete', clientIdentifier, messageId: message.id });
    if (outcome.state === 'queued') return outcome;
    if (outcome.result.op === 'delete' && outcome.result.outcome === 'deleted_for_me')
      throw AppError.unprocessable(
        MessageErrorCode.DELETE_WINDOW_PASSED,
        'WhatsApp deleted the message only on this device: the time to delete it for everyone has passed (or you may not delete it)',
        { outcome: 'deleted_for_me', messageId: message.id },
      );
    return { state: 'done', value: { message: outcome.message, outcome: 'revoked' } };
  }

  /**
   * Official API: tells the customer their message was read (blue ticks). Called at once, not queued:
   * it changes nothing we store and has no order to keep. 422 for WhatsApp Web (feature mark_read).
   */
  async markRead(clientIdentifier: string, messageId: string): Promise<{ messageId: string; read: true }> {
    const message = await this.repository.findById(clientIdentifier, messageId);
    if (!message) throw AppError.notFound(MessageErrorCode.MESSAGE_NOT_FOUND, `Message ${messageId} not found`);
    const channel = await this.channels.getById(clientIdentifier, message.channelId);
    assertFeatureSupported(channel.service, 'mark_read');
    if (message.direction !== 'inbound' || !message.waMessageId)
      throw AppError.unprocessable(MessageErrorCode.MESSAGE_NOT_INBOUND, `Message ${messageId} was not received from a contact: only those can be marked read`);
    const messenger = await this.providers.requireReady(clientIdentifier, message.channelId);
    try {
      await messenger.markRead!(message.waMessageId);
    } catch (err) {
      throw AppError.unprocessable(MessageErrorCode.MESSAGE_ACTION_FAILED, `The provider did not mark the message read: ${describeError(err)}`, { reason: describeError(err) });
    }
    return { messageId: message.id, read: true };
  }

  private async run(message: OutboundMessage, data: Parameters<SendQueues['enqueueAction']>[1]) {
    const jobId = await this.queues.enqueueAction(message.channelId, data);
    const wait = await this.queues.waitForAction(message.channelId, jobId, ACTION_WAIT_MS);
    if (wait.state === 'pending') return { state: 'queued' as const, message: publicView(message) };
    if (wait.state === 'failed') throw actionError(wait.reason);
    const updated = await this.settled(message, wait.result);
    return { state: 'done' as const, result: wait.result, message: publicView(updated) };
  }

  /**
   * The engine's own event for our reaction or revoke is stored by the inbound pipeline, a moment after
   * the job ends: wait briefly for it so the answer shows the change.
   */
  private async settled(message: OutboundMessage, result: ActionResult): Promise<OutboundMessage> {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const now = (await this.repository.findById(message.clientIdentifier, message.id)) ?? message;
      const done =
        result.op === 'delete'
          ? now.revoked !== undefined
          : result.emoji === ''
            ? (now.reactions?.length ?? 0) < (message.reactions?.length ?? 0)
            : (now.reactions ?? []).some((r) => r.emoji === result.emoji);
      if (done || Date.now() >= deadline) return now;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function assertSendable(message: MessageView): void {
  if (message.status === 'failed') throw AppError.unprocessable(MessageErrorCode.MESSAGE_NOT_SENT, `Message ${message.id} never reached WhatsApp`);
}

/** Job failures carry `CODE: text` for the codes the caller can act on. */
function actionError(reason: string): AppError {
  const [code, ...rest] = reason.split(': ');
  if (code === MessageErrorCode.MESSAGE_NOT_SENT || code === MessageErrorCode.MESSAGE_NOT_FOUND)
    return AppError.unprocessable(code, rest.join(': ') || reason);
  return AppError.unprocessable(MessageErrorCode.MESSAGE_ACTION_FAILED, `WhatsApp did not complete the action: ${reason}`, { reason });
}
