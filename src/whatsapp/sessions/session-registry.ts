import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { EngineSession } from '../engine/messaging-engine.port';
import { WhatsappErrorCode } from '../whatsapp.errors';
import { ChannelDirectory } from './channel-directory';
import { SessionManager, SessionNotLocalError } from './session-manager';
import { SessionState } from './session-state';

export interface SessionStatusSummary {
  state: SessionState;
  reason?: string;
  me?: string;
  updatedAt: Date;
}

/**
 * What other modules (messages, conversations, webhooks) ask of WhatsApp sessions: the live
 * engine session of a channel to act on, and its status.
 */
@Injectable()
export class SessionRegistry {
  constructor(
    private readonly manager: SessionManager,
    private readonly directory: ChannelDirectory,
  ) {}

  /**
   * The live engine session of a channel. 404 CHANNEL_NOT_FOUND; 422 CHANNEL_NOT_READY
   * (details: { state, reason }); 503 SESSION_NOT_LOCAL when another server process owns it.
   */
  async requireReady(clientIdentifier: string, channelId: string): Promise<EngineSession> {
    await this.directory.getById(clientIdentifier, channelId);
    const local = this.manager.local(channelId);
    // Only while the lease is fresh: a process that was frozen past it must not send through its old browser.
    const live = local && local.snapshot().clientIdentifier === clientIdentifier && this.manager.ownsNow(channelId) ? local.readySession() : undefined;
    if (live) return live;
    const status = await this.manager.status(clientIdentifier, channelId);
    if (status.owner === 'remote') throw new SessionNotLocalError(channelId, 'remote');
    throw AppError.unprocessable(
      WhatsappErrorCode.CHANNEL_NOT_READY,
      `The WhatsApp session of channel ${channelId} is not connected (state ${status.state})`,
      { state: status.state, reason: status.reason },
    );
  }

  /** 404 CHANNEL_NOT_FOUND for a channel not in the account. */
  async getStatus(clientIdentifier: string, channelId: string): Promise<SessionStatusSummary> {
    await this.directory.getById(clientIdentifier, channelId);
    const status = await this.manager.status(clientIdentifier, channelId);
    return { state: status.state, reason: status.reason, me: status.me, updatedAt: status.updatedAt };
  }
}
