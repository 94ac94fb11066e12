import { ApiBase } from '../core/api-base';
import type { CallOptions } from '../core/http-client';
import { channelRoutes as r } from '../routes/channels.routes';
import { assertShape, RouteInput, SameShape } from '../routes/route';
import type {
  AddPlatformDto,
  Channel,
  ChannelRefDto,
  Deleted,
  GetPlatformConfigDto,
  PlatformConfig,
  PlatformEndpoint,
  PlatformEndpointWithSecret,
  PlatformRefDto,
  RotatedSecret,
  SetupWhatsappWebDto,
  UpdateChannelDto,
  UpdatePlatformDto,
} from '../types/channels';
import { MessageService, MessageServiceEnum } from '../types/common';

/** Channels: setup (guide 1.1), their platform configuration and webhook endpoints. */
export class SetupApi extends ApiBase {
  /** Sets up a channel; the answer carries `channelId`, `platformConfigId` and each platform's signing secret (shown only here). */
  setup(dto: SetupWhatsappWebDto, service: MessageServiceEnum | MessageService = MessageServiceEnum.whatsappweb, options?: CallOptions): Promise<PlatformConfig> {
    return this.client.call(r.setup, { ...dto, service }, options);
  }

  getChannels(dto: { clientIdentifier?: string } = {}): Promise<Channel[]> {
    return this.client.call(r.list, dto);
  }

  getChannel(dto: ChannelRefDto): Promise<Channel> {
    return this.client.call(r.get, dto);
  }

  updateChannel(dto: UpdateChannelDto): Promise<Channel> {
    return this.client.call(r.update, dto);
  }

  /** Stops the channel's WhatsApp session and deletes its contacts. */
  deleteChannel(dto: ChannelRefDto): Promise<Deleted> {
    return this.client.call(r.delete, dto);
  }

  /** The channel a platform configuration belongs to. */
  getPlatformConfig(dto: GetPlatformConfigDto): Promise<Channel> {
    return this.client.call(r.getPlatformConfig, dto);
  }

  getPlatforms(dto: ChannelRefDto): Promise<PlatformEndpoint[]> {
    return this.client.call(r.listPlatforms, dto);
  }

  /** Adds a webhook endpoint; its signing secret is shown only in this answer. */
  addPlatform(dto: AddPlatformDto): Promise<PlatformEndpointWithSecret> {
    return this.client.call(r.addPlatform, dto);
  }

  getPlatform(dto: PlatformRefDto): Promise<PlatformEndpoint> {
    return this.client.call(r.getPlatform, dto);
  }

  updatePlatform(dto: UpdatePlatformDto): Promise<PlatformEndpoint> {
    return this.client.call(r.updatePlatform, dto);
  }

  removePlatform(dto: PlatformRefDto): Promise<{ slug: string; deleted: boolean }> {
    return this.client.call(r.removePlatform, dto);
  }

  /** New signing secret, shown only in this answer; the previous one keeps signing for a while (see server docs). */
  rotatePlatformSecret(dto: PlatformRefDto): Promise<RotatedSecret> {
    return this.client.call(r.rotatePlatformSecret, dto);
  }
}

assertShape<SameShape<SetupWhatsappWebDto, Omit<RouteInput<typeof r.setup>, 'service'>>>();
assertShape<SameShape<ChannelRefDto, RouteInput<typeof r.get>>>();
assertShape<SameShape<UpdateChannelDto, RouteInput<typeof r.update>>>();
assertShape<SameShape<GetPlatformConfigDto, RouteInput<typeof r.getPlatformConfig>>>();
assertShape<SameShape<AddPlatformDto, RouteInput<typeof r.addPlatform>>>();
assertShape<SameShape<PlatformRefDto, RouteInput<typeof r.getPlatform>>>();
assertShape<SameShape<UpdatePlatformDto, RouteInput<typeof r.updatePlatform>>>();
