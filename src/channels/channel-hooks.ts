import type { ChannelRecord } from './channels.repository';
import { Injectable } from '@nestjs/common';

/** Work other modules must finish when a channel or one of its platforms goes away. */
export interface ChannelLifecycleHook {
  /** Runs after the channel is stored; a throw undoes the setup (the channel is deleted, the error answered). */
  channelCreated?(channel: ChannelRecord): Promise<void>;
  channelDeleted?(clientIdentifier: string, channelId: string): Promise<void>;
  platformRemoved?(clientIdentifier: string, channelId: string, slug: string): Promise<void>;
}

/**
 * Lets modules that depend on channels (contacts) clean up inside the channel call itself,
 * without the channels module depending on them. Hooks run in registration order and are
 * awaited: the HTTP answer comes after the cleanup.
 */
@Injectable()
export class ChannelHooks {
  private readonly hooks: ChannelLifecycleHook[] = [];

  register(hook: ChannelLifecycleHook): void {
    this.hooks.push(hook);
  }

  async channelCreated(channel: ChannelRecord): Promise<void> {
    for (const h of this.hooks) await h.channelCreated?.(channel);
  }

  async channelDeleted(clientIdentifier: string, channelId: string): Promise<void> {
    for (const h of this.hooks) await h.channelDeleted?.(clientIdentifier, channelId);
  }

  async platformRemoved(clientIdentifier: string, channelId: string, slug: string): Promise<void> {
    for (const h of this.hooks) await h.platformRemoved?.(clientIdentifier, channelId, slug);
  }
}
