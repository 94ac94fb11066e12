import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { ChannelDirectory, ChannelRef } from '../sessions/channel-directory';
import { SessionManager, SessionNotLocalError, SessionStatusView } from '../sessions/session-manager';
import { isActive, SessionReason } from '../sessions/session-state';
import { OnboardingGrant, OnboardingTokens } from './onboarding-token';

export interface OnboardingLink {
  url: string;
  expiresAt: Date;
  channelId: string;
  platformConfigId: string;
  state: SessionStatusView['state'];
}

/** Issues onboarding links and serves what the onboarding page needs. */
@Injectable()
export class OnboardingService {
  private readonly logger = new Logger(OnboardingService.name);

  constructor(
    private readonly tokens: OnboardingTokens,
    private readonly directory: ChannelDirectory,
    private readonly manager: SessionManager,
    private readonly config: AppConfig,
  ) {}

  /** The channel named by id or platform configuration id (one of them is required). */
  async resolveChannel(clientIdentifier: string, ids: { channelId?: string; platformConfigId?: string }): Promise<ChannelRef> {
    if (ids.channelId) {
      const channel = await this.directory.getById(clientIdentifier, ids.channelId);
      if (ids.platformConfigId && channel.platformConfigId !== ids.platformConfigId)
        throw AppError.badRequest('VALIDATION_FAILED', 'channelId and platformConfigId name different channels', [
          { field: 'platformConfigId', messages: ['platformConfigId does not belong to channelId'] },
        ]);
      return channel;
    }
    if (ids.platformConfigId) return this.directory.getByPlatformConfigId(clientIdentifier, ids.platformConfigId);
    throw AppError.badRequest('VALIDATION_FAILED', 'Name the channel: channelId or platformConfigId', [
      { field: 'channelId', messages: ['channelId or platformConfigId is required'] },
    ]);
  }

  /** A signed link to the channel's onboarding page; starts the session if it is not running. */
  async issue(clientIdentifier: string, channel: ChannelRef, origin?: string): Promise<OnboardingLink> {
    const status = await this.ensureStarted(clientIdentifier, channel.id);
    const { token, expiresAt } = this.tokens.issue({ channelId: channel.id, clientIdentifier, origin });
    return {
      url: `${this.config.http.publicBaseUrl}/onboarding/${token}`,
      expiresAt,
      channelId: channel.id,
      platformConfigId: channel.platformConfigId,
      state: status.state,
    };
  }

  /** Starts the session unless it runs (here or in another process) or is restarting on its own. */
  async ensureStarted(clientIdentifier: string, channelId: string): Promise<SessionStatusView> {
    const status = await this.manager.status(clientIdentifier, channelId);
    const idle = !isActive(status.state) && !status.retryAt && status.owner !== 'remote';
    if (!idle) return status;
    try {
      return await this.manager.commands.start(clientIdentifier, channelId, SessionReason.ONBOARDING);
    } catch (err) {
      if (err instanceof SessionNotLocalError) return this.manager.status(clientIdentifier, channelId);
      throw err;
    }
  }

  verify(token: string, withGrace: boolean): OnboardingGrant {
    return this.tokens.verify(token, withGrace);
  }

  async channelOf(grant: OnboardingGrant): Promise<ChannelRef> {
    return this.directory.getById(grant.clientIdentifier, grant.channelId);
  }
}
