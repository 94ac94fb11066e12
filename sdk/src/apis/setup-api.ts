import { ApiBase } from '../core/api-base';
import type { CallOptions } from '../core/http-client';
import { channelRoutes as r } from '../routes/channels.routes';
import { assertShape, Fits, RouteInput, SameShape } from '../routes/route';
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
  SetupD360Dto,
  SetupDtoByService,
  SetupWhatsappCloudDto,
  SetupWhatsappWebDto,
  UpdateChannelDto,
  UpdatePlatformDto,
} from '../types/channels';
import { MessageService, MessageServiceEnum } from '../types/common';

/** Channels: setup (guide 1.1), their platform configuration and webhook endpoints. */
export class SetupApi extends ApiBase {
  /**
   * Sets up a channel on a service (guide 1.1); the body is typed by the service. The answer carries
   * `channelId`, `platformConfigId` and each platform's signing secret (shown only here).
   */
  setup(dto: SetupWhatsappWebDto, service?: MessageServiceEnum.whatsappweb | 'whatsappweb', options?: CallOptions): Promise<PlatformConfig>;
  /**
   * A channel on Meta's WhatsApp Cloud API: the number's ids and the app's secrets (stored encrypted,
   * returned only as previews in `credentials`). Then set the app's webhook to
   * `<server>/providers/whatsappcloud/<channelId>/webhook` with `webhookVerifyToken`.
   */
  setup(dto: SetupWhatsappCloudDto, service: MessageServiceEnum.whatsappcloud | 'whatsappcloud', options?: CallOptions): Promise<PlatformConfig>;
  /**
   * A channel on 360dialog with the number's API key; the server sets 360dialog's webhook during setup.
   * A key 360dialog refuses: 502 PROVIDER_REQUEST_FAILED, and no channel is left behind.
   */
  setup(dto: SetupD360Dto, service: MessageServiceEnum.d360 | 'd360', options?: CallOptions): Promise<PlatformConfig>;
  /** A service known only at run time: the body of any service it may be. */
  setup<S extends MessageServiceEnum | MessageService>(dto: SetupDtoByService[`${S}`], service: S, options?: CallOptions): Promise<PlatformConfig>;
  setup(dto: SetupDtoByService[MessageService], service: MessageServiceEnum | MessageService = MessageServiceEnum.whatsappweb, options?: CallOptions): Promise<PlatformConfig> {
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
// The official-API bodies are what the route sends, with their service's provider fields required.
assertShape<Fits<SetupWhatsappCloudDto, Omit<RouteInput<typeof r.setup>, 'service'>>>();
assertShape<Fits<SetupD360Dto, Omit<RouteInput<typeof r.setup>, 'service'>>>();
assertShape<SameShape<ChannelRefDto, RouteInput<typeof r.get>>>();
assertShape<SameShape<UpdateChannelDto, RouteInput<typeof r.update>>>();
assertShape<SameShape<GetPlatformConfigDto, RouteInput<typeof r.getPlatformConfig>>>();
assertShape<SameShape<AddPlatformDto, RouteInput<typeof r.addPlatform>>>();
assertShape<SameShape<PlatformRefDto, RouteInput<typeof r.getPlatform>>>();
assertShape<SameShape<UpdatePlatformDto, RouteInput<typeof r.updatePlatform>>>();
