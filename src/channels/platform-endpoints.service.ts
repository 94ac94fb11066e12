import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { ChannelHooks } from './channel-hooks';
import type { PlatformEndpointView, PlatformEndpointWithSecret } from './channel.types';
import { ChannelErrorCode } from './channels.errors';
import { MAX_PLATFORMS } from './dto/setup-whatsapp-web.dto';
import type { AddPlatformDto, UpdatePlatformDto } from './dto/platform.dto';
import { ChannelsService, toEndpointView } from './channels.service';
import { PlatformEndpoint } from './schemas/channel.schema';
import { newWebhookSecret, SECRET_ROTATION_OVERLAP_MS } from './webhook-secret';

export interface RotatedSecret extends PlatformEndpointWithSecret {
  /** Until then delivery may still add a signature made with the previous secret. */
  previousSecretExpiresAt: Date;
}

function platformNotFound(channelId: string, slug: string): AppError {
  return AppError.notFound(ChannelErrorCode.PLATFORM_NOT_FOUND, `Channel ${channelId} has no platform "${slug}"`);
}

function requirePlatform(platforms: PlatformEndpoint[], channelId: string, slug: string): PlatformEndpoint {
  const p = platforms.find((e) => e.slug === slug);
  if (!p) throw platformNotFound(channelId, slug);
  return p;
}

/** The platform endpoints of a channel: where its events go and the secrets that sign them. */
@Injectable()
export class PlatformEndpointsService {
  private readonly logger = new Logger(PlatformEndpointsService.name);

  constructor(
    private readonly channels: ChannelsService,
    private readonly hooks: ChannelHooks,
  ) {}

  async list(clientIdentifier: string, channelId: string): Promise<PlatformEndpointView[]> {
    return (await this.channels.requireRecord(clientIdentifier, channelId)).platforms.map(toEndpointView);
  }

  async get(clientIdentifier: string, channelId: string, slug: string): Promise<PlatformEndpointView> {
    const record = await this.channels.requireRecord(clientIdentifier, channelId);
    return toEndpointView(requirePlatform(record.platforms, channelId, slug));
  }

  /** Adds an endpoint; its secret is returned now and never again. */
  async add(clientIdentifier: string, channelId: string, dto: AddPlatformDto): Promise<PlatformEndpointWithSecret> {
    this.channels.assertCallbackUrl(dto.callbackUrl, 'callbackUrl');
    const added: PlatformEndpoint = { slug: dto.slug, callbackUrl: dto.callbackUrl, enabled: true, secret: newWebhookSecret() };
    await this.channels.mutate(clientIdentifier, channelId, (current) => {
      if (current.platforms.some((p) => p.slug === dto.slug))
        throw AppError.conflict(ChannelErrorCode.PLATFORM_SLUG_TAKEN, `Channel ${channelId} already has a platform "${dto.slug}"`);
      if (current.platforms.length >= MAX_PLATFORMS)
        throw AppError.unprocessable(ChannelErrorCode.TOO_MANY_PLATFORMS, `A channel has at most ${MAX_PLATFORMS} platforms`);
      return { set: { platforms: [...current.platforms, added] } };
    });
    this.logger.log({ clientIdentifier, channelId, slug: dto.slug }, 'Platform endpoint added');
    return { ...toEndpointView(added), secret: added.secret };
  }

  async update(clientIdentifier: string, channelId: string, slug: string, dto: UpdatePlatformDto): Promise<PlatformEndpointView> {
    if (dto.callbackUrl !== undefined) this.channels.assertCallbackUrl(dto.callbackUrl, 'callbackUrl');
    const record = await this.channels.mutate(clientIdentifier, channelId, (current) => {
      const existing = requirePlatform(current.platforms, channelId, slug);
      const next: PlatformEndpoint = { ...existing };
      if (dto.callbackUrl !== undefined) next.callbackUrl = dto.callbackUrl;
      if (dto.enabled === true) {
        next.enabled = true;
        delete next.disabledReason;
      } else if (dto.enabled === false) {
        next.enabled = false;
        next.disabledReason = 'disabled by the account';
      }
      return { set: { platforms: current.platforms.map((p) => (p.slug === slug ? next : p)) } };
    });
    return toEndpointView(requirePlatform(record.platforms, channelId, slug));
  }

  /** Removes an endpoint (not the starting one); contacts pinned to it lose their platform. */
  async remove(clientIdentifier: string, channelId: string, slug: string): Promise<{ slug: string; deleted: true }> {
    await this.channels.mutate(clientIdentifier, channelId, (current) => {
      requirePlatform(current.platforms, channelId, slug);
      if (current.startingPlatform === slug)
        throw AppError.unprocessable(
          ChannelErrorCode.STARTING_PLATFORM_NOT_REMOVABLE,
          `"${slug}" is the channel's starting platform: make another platform the starting one first`,
        );
      return { set: { platforms: current.platforms.filter((p) => p.slug !== slug) } };
    });
    await this.hooks.platformRemoved(clientIdentifier, channelId, slug);
    this.logger.log({ clientIdentifier, channelId, slug }, 'Platform endpoint removed');
    return { slug, deleted: true };
  }

  /**
   * Replaces the endpoint's signing secret. The new one signs from now on; the previous one stays
   * available to delivery for SECRET_ROTATION_OVERLAP_MS so receivers can switch without losing events.
   */
  async rotateSecret(clientIdentifier: string, channelId: string, slug: string): Promise<RotatedSecret> {
    const secret = newWebhookSecret();
    const now = new Date();
    const previousSecretExpiresAt = new Date(now.getTime() + SECRET_ROTATION_OVERLAP_MS);
    const record = await this.channels.mutate(clientIdentifier, channelId, (current) => {
      const existing = requirePlatform(current.platforms, channelId, slug);
      const next: PlatformEndpoint = { ...existing, secret, previousSecret: existing.secret, previousSecretExpiresAt, secretRotatedAt: now };
      return { set: { platforms: current.platforms.map((p) => (p.slug === slug ? next : p)) } };
    });
    this.logger.log({ clientIdentifier, channelId, slug }, 'Platform secret rotated');
    return { ...toEndpointView(requirePlatform(record.platforms, channelId, slug)), secret, previousSecretExpiresAt };
  }
}
