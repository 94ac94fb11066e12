import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { MessageStatusService } from './message-status.service';
import { MessageView } from './message.types';
import { MessageErrorCode } from './messages.errors';
import { MessagesRepository, publicView } from './messages.repository';
import { SendQueues } from './pipeline/send-queues';
import { SentLedger } from './pipeline/sent-ledger';
import { SendTargetResolver } from './send-target.resolver';

/**
 * POST /messages/:id/retry: a failed API send goes back on its channel's send queue under the same
 * id and runs through the same worker as a new send (pacing, order, inline retries, `sent` or a new
 * `failed`). Any failure reason may be retried: the server cannot know whether its cause (a group not
 * joined yet, media gone, a number not on WhatsApp, a crash mid-send) has been fixed since; a cause that
 * remains fails again with its reason.
 */
@Injectable()
export class FailedSendRetry {
  private readonly logger = new Logger(FailedSendRetry.name);

  constructor(
    private readonly repository: MessagesRepository,
    private readonly status: MessageStatusService,
    private readonly queues: SendQueues,
    private readonly ledger: SentLedger,
    private readonly targets: SendTargetResolver,
  ) {}

  async retry(clientIdentifier: string, messageId: string): Promise<MessageView> {
    // Like a send: while Redis is away nothing could be queued, answer 503 before changing anything.
    this.queues.assertAvailable();
    const found = await this.repository.findById(clientIdentifier, messageId);
    if (!found) throw AppError.notFound(MessageErrorCode.MESSAGE_NOT_FOUND, `Message ${messageId} not found`);
    if (found.status !== 'failed' || found.direction !== 'outbound') throw notRetryable(found);
    // Like a send: a retry into a session that is not connected would only wait; say so instead.
    await this.targets.assertReady(clientIdentifier, found.channelId);
    const result = await this.repository.requeueFailed(clientIdentifier, messageId);
    if (!result) throw AppError.notFound(MessageErrorCode.MESSAGE_NOT_FOUND, `Message ${messageId} not found`);
    if (!result.requeued) throw notRetryable(result.message);
    const { message } = result;
    // A WhatsApp id noted for a copy WhatsApp later refused must not settle this attempt as sent.
    await this.ledger.forget(message.id).catch((err: unknown) => this.logger.warn({ err, messageId }, 'Could not clear the sent note of a retried message'));
    this.status.announceRetry(message);
    try {
      await this.queues.enqueueRetry(clientIdentifier, message.channelId, message.id);
    } catch (err) {
      // Stored as queued: the channel's sweeper enqueues it once the queue answers again.
      this.logger.error({ err, messageId }, 'Could not enqueue a retried message; the sweeper will');
    }
    this.logger.log({ messageId, channelId: message.channelId, retry: message.outbound.retries }, 'Failed send queued again');
    return publicView(message);
  }
}

function notRetryable(message: MessageView): AppError {
  const refuse = (why: string) => AppError.conflict(MessageErrorCode.MESSAGE_NOT_RETRYABLE, `Message ${message.id} ${why}`, { status: message.status });
  if (message.direction !== 'outbound') return refuse('was received, not sent: only a failed send can be retried');
  if (message.status === 'failed') return refuse('was sent from the phone, not through the API: there is no send to repeat');
  return refuse(`is ${message.status}: only a failed send can be retried`);
}
