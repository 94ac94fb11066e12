import { Injectable } from '@nestjs/common';
import type { ChannelView } from '../../channels/channel.types';
import { ChannelsService } from '../../channels/channels.service';
import { EngineFeatureUnsupportedError } from '../engine/messaging-engine.port';
import { ChannelDirectory, ChannelRef } from './channel-directory';

/**
 * The session manager's channels: WhatsApp Web channels only. A session command (status, QR,
 * pairing, start, stop, logout, groups) on an official-API channel is 422 ENGINE_FEATURE_UNSUPPORTED
 * (feature `session`): that provider is stateless, there is nothing to link or start.
 */
@Injectable()
export class WebChannelDirectory extends ChannelDirectory {
  constructor(private readonly channels: ChannelsService) {
    super();
  }

  async getById(clientIdentifier: string, channelId: string): Promise<ChannelRef> {
    return webOnly(await this.channels.getById(clientIdentifier, channelId));
  }

  async getByPlatformConfigId(clientIdentifier: string, platformConfigId: string): Promise<ChannelRef> {
    return webOnly(await this.channels.getByPlatformConfigId(clientIdentifier, platformConfigId));
  }

  listAllByService(service: 'whatsappweb'): Promise<ChannelRef[]> {
    return this.channels.listAllByService(service);
  }
}

function webOnly(channel: ChannelView): ChannelRef {
  if (channel.service !== 'whatsappweb') throw new EngineFeatureUnsupportedError('session', channel.service);
  return channel;
}
