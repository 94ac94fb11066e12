import { Injectable, Logger } from '@nestjs/common';
import { AppError, CommonErrorCode } from '../../common/errors/app-error';
import { EngineFeatureUnsupportedError, EngineGroup, MessagingEngine } from '../engine/messaging-engine.port';
import { SessionRouter } from '../cluster/session-router';
import { SessionRegistry } from '../sessions/session-registry';
import { ChannelGroupResponse } from './dto/channel-group.dto';

/** How long WhatsApp Web may take to list its chats before the caller gets a 503. */
export const LIST_GROUPS_TIMEOUT_MS = 20_000;

const bySubject = new Intl.Collator('pt-BR', { sensitivity: 'base' });

/** The groups of a channel's WhatsApp number, read live from its session (nothing is stored). */
@Injectable()
export class ChannelGroupsService {
  private readonly logger = new Logger(ChannelGroupsService.name);

  /** The list as callers use it: read in the process that runs the channel's session. */
  readonly routed;

  constructor(
    private readonly sessions: SessionRegistry,
    private readonly engine: MessagingEngine,
    router: SessionRouter,
  ) {
    this.routed = router.expose('groups', this as ChannelGroupsService, { list: 'owner' });
  }

  /**
   * 404 CHANNEL_NOT_FOUND, 422 CHANNEL_NOT_READY, 503 SESSION_NOT_LOCAL (from the registry);
   * 422 ENGINE_FEATURE_UNSUPPORTED for an engine without a group list; 503 SERVICE_UNAVAILABLE
   * when WhatsApp Web fails or does not answer in time (the session may be going down).
   */
  async list(clientIdentifier: string, channelId: string): Promise<ChannelGroupResponse[]> {
    const session = await this.sessions.requireReady(clientIdentifier, channelId);
    if (!session.listGroups) throw new EngineFeatureUnsupportedError('Listing groups', this.engine.name);
    let groups: EngineGroup[];
    try {
      groups = await deadline(session.listGroups(), LIST_GROUPS_TIMEOUT_MS);
    } catch (err) {
      if (err instanceof AppError) throw err;
      this.logger.warn({ channelId, err }, 'WhatsApp Web could not list the groups');
      throw AppError.unavailable(CommonErrorCode.SERVICE_UNAVAILABLE, `WhatsApp Web did not list the groups of channel ${channelId}; try again`);
    }
    return groups
      .map((g) => ({
        id: g.id,
        subject: g.subject,
        participantsCount: g.participants.length,
        isMember: !!g.me,
        isAdmin: !!g.me?.isAdmin,
      }))
      .sort((a, b) => bySubject.compare(a.subject, b.subject) || a.id.localeCompare(b.id));
  }
}

function deadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
