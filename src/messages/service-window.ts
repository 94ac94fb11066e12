import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { ProviderErrorCode } from '../providers/providers.errors';
import { MessagesRepository } from './messages.repository';
import type { SendTarget } from './send-target.resolver';

/** Meta's customer service window: free-form messages only within 24 h of the contact's last message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Refuses a free-form send on the official API to a contact whose window is closed, before it is
 * queued (Meta would accept it and fail it later with 131047). The window is read from the stored
 * inbound messages of the chat, so it holds across processes and restarts. Templates skip this.
 */
@Injectable()
export class ServiceWindow {
  constructor(private readonly repository: MessagesRepository) {}

  async assertOpen(target: SendTarget, now = Date.now()): Promise<void> {
    const last = await this.repository.lastInboundAt(target.clientIdentifier, target.channel.id, target.chatId);
    if (last && now - new Date(last).getTime() < SERVICE_WINDOW_MS) return;
    throw AppError.unprocessable(
      ProviderErrorCode.OUTSIDE_SERVICE_WINDOW,
      last
        ? `The contact last wrote at ${new Date(last).toISOString()}, more than 24 hours ago: only a template can be sent`
        : 'The contact has never written to this number: only a template can be sent',
      { lastInboundAt: last ? new Date(last).toISOString() : null, windowHours: 24 },
    );
  }
}
