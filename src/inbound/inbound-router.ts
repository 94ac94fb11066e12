import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { ChannelView } from '../channels/channel.types';
import { ChannelsService } from '../channels/channels.service';
import type { ContactView } from '../contacts/contact.types';
import { ConversationRouting } from './conversation-routing';

export type Route =
  | { deliver: true; platform: string; conversationId?: string; rule: 'conversation' | 'contact' | 'channel' }
  | { deliver: false; reason: 'CONTACT_IGNORED' };

/** Channels change rarely; every inbound message needs the starting platform. */
const CHANNEL_CACHE_MS = 5_000;

/**
 * Decides where an inbound event goes:
 * 1. an ignored contact's events go nowhere (its messages are still stored);
 * 2. the platform of the contact's open conversation;
 * 3. else the contact's own platform;
 * 4. else the channel's starting platform.
 */
@Injectable()
export class InboundRouter {
  private readonly logger = new Logger(InboundRouter.name);
  private conversations?: ConversationRouting | null;
  private readonly channelCache = new Map<string, { expires: number; value: Promise<ChannelView> }>();

  constructor(
    private readonly channels: ChannelsService,
    private readonly moduleRef: ModuleRef,
  ) {}

  async route(clientIdentifier: string, channelId: string, contact: ContactView | undefined): Promise<Route> {
    if (contact?.isIgnored) return { deliver: false, reason: 'CONTACT_IGNORED' };
    if (contact) {
      const open = await this.conversationRouting()?.findOpen(clientIdentifier, channelId, contact.id);
      if (open?.platform) return { deliver: true, platform: open.platform, conversationId: open.id, rule: 'conversation' };
      if (contact.platform) return { deliver: true, platform: contact.platform, ...(open ? { conversationId: open.id } : {}), rule: 'contact' };
      const channel = await this.channel(clientIdentifier, channelId);
      return { deliver: true, platform: channel.startingPlatform, ...(open ? { conversationId: open.id } : {}), rule: 'channel' };
    }
    const channel = await this.channel(clientIdentifier, channelId);
    return { deliver: true, platform: channel.startingPlatform, rule: 'channel' };
  }

  /** Every enabled platform of the channel (channel-wide events such as session.status). */
  async allPlatforms(clientIdentifier: string, channelId: string): Promise<string[]> {
    const channel = await this.channel(clientIdentifier, channelId);
    return channel.platforms.filter((p) => p.enabled).map((p) => p.slug);
  }

  channel(clientIdentifier: string, channelId: string): Promise<ChannelView> {
    const key = `${clientIdentifier}\u0000${channelId}`;
    const now = Date.now();
    const hit = this.channelCache.get(key);
    if (hit && hit.expires > now) return hit.value;
    if (this.channelCache.size > 10_000) this.channelCache.clear();
    const value = this.channels.getById(clientIdentifier, channelId);
    this.channelCache.set(key, { expires: now + CHANNEL_CACHE_MS, value });
    value.catch(() => this.channelCache.delete(key));
    return value;
  }

  private conversationRouting(): ConversationRouting | undefined {
    if (this.conversations === undefined) {
      try {
        this.conversations = this.moduleRef.get(ConversationRouting, { strict: false });
      } catch {
        this.logger.warn('No ConversationRouting provider: routing by contact and channel only');
        this.conversations = null;
      }
    }
    return this.conversations ?? undefined;
  }
}
