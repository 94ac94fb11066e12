import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { MessageStatusService } from '../messages/message-status.service';
import { EngineContext, InboundEventSink } from '../whatsapp/engine/inbound-sink.port';
import type { EngineSession, InboundEngineEvent } from '../whatsapp/engine/messaging-engine.port';
import { ChatEventHandler } from './chat-event.handler';
import { InboundMessageHandler } from './inbound-message.handler';

/** Transient failures (a database failover, a Redis restart) are retried this many times, backing off. */
const ATTEMPTS = 5;
const BACKOFF_MS = 250;

/**
 * The InboundEventSink: every engine event of every session, in order per session (the session
 * manager awaits each call). Stores first, then records webhook events. WhatsApp does not send
 * an event twice on request, so a transient storage failure is retried here before giving up.
 */
@Injectable()
export class InboundPipeline extends InboundEventSink {
  private readonly logger = new Logger(InboundPipeline.name);

  constructor(
    private readonly messages: InboundMessageHandler,
    private readonly chats: ChatEventHandler,
    private readonly statuses: MessageStatusService,
  ) {
    super();
  }

  async handle(ctx: EngineContext, event: InboundEngineEvent, session: EngineSession): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.dispatch(ctx, event, session);
        return;
      } catch (err) {
        if (err instanceof AppError || attempt >= ATTEMPTS) {
          this.logger.error({ err, channelId: ctx.channelId, type: event.type, attempt }, 'Inbound event could not be stored');
          throw err;
        }
        this.logger.warn({ err, channelId: ctx.channelId, type: event.type, attempt }, 'Inbound event failed; retrying');
        await new Promise((r) => setTimeout(r, BACKOFF_MS * 2 ** (attempt - 1)));
      }
    }
  }

  private dispatch(ctx: EngineContext, event: InboundEngineEvent, session: EngineSession): Promise<unknown> {
    switch (event.type) {
      case 'message':
        return this.messages.handle(ctx, event.message, session);
      case 'ack':
        // Stored forward-only and published as `message.status`, which DomainEventWebhooks delivers.
        return this.statuses.onAck(ctx, event.messageId, event.ack);
      case 'revoke':
        return this.chats.revoke(ctx, event);
      case 'edit':
        return this.chats.edit(ctx, event);
      case 'reaction':
        return this.chats.reaction(ctx, event);
      case 'group_join':
      case 'group_leave':
        return this.chats.group(ctx, event);
    }
  }
}
