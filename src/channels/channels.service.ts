import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { DomainEventName, DomainEvents } from '../common/events/domain-events';
import { OutboundRequestError, SafeHttpClient } from '../common/http/safe-http.client';
import { StoreAdapter } from '../store/store-adapter';
import { ChannelHooks } from './channel-hooks';
import type { ChannelView, DeliveryEndpoint, MessageService, PlatformEndpointView, SetupResult } from './channel.types';
import { ChannelErrorCode } from './channels.errors';
import { ChannelChange, ChannelRecord, ChannelsRepository } from './channels.repository';
import type { UpdateChannelDto } from './dto/update-channel.dto';
import { PlatformEndpoint } from './schemas/channel.schema';
import { readSetupBody } from './setup/service-setups';
import { credentialPreview, CredentialsCipher } from '../providers/credentials-cipher';
import { newWebhookSecret, secretPreview } from './webhook-secret';

const MAX_WRITE_ATTEMPTS = 5;

export function toEndpointView(p: PlatformEndpoint): PlatformEndpointView {
  return {
    slug: p.slug,
    callbackUrl: p.callbackUrl,
    enabled: p.enabled,
    ...(p.disabledReason ? { disabledReason: p.disabledReason } : {}),
    secretPreview: secretPreview(p.secret),
  };
}

export function toChannelView(r: ChannelRecord): ChannelView {
  return {
    id: r.id,
    platformConfigId: r.platformConfigId,
    clientIdentifier: r.clientIdentifier,
    service: r.service,
    provider: {
      clientNumber: r.provider.clientNumber,
      companyId: r.provider.companyId,
      ...(r.provider.phoneNumberId ? { phoneNumberId: r.provider.phoneNumberId } : {}),
      ...(r.provider.wabaId ? { wabaId: r.provider.wabaId } : {}),
      ...(r.provider.apiVersion ? { apiVersion: r.provider.apiVersion } : {}),
    },
    ...(r.credentialsPreview ? { credentials: { ...r.credentialsPreview } } : {}),
    platforms: r.platforms.map(toEndpointView),
    startingPlatform: r.startingPlatform,
    ...(r.description ? { description: r.description } : {}),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function channelNotFound(channelId: string): AppError {
  return AppError.notFound(ChannelErrorCode.CHANNEL_NOT_FOUND, `Channel ${channelId} not found`);
}

/** Channels of an account (SDK guide 1.1) and what other modules need from them. */
@Injectable()
export class ChannelsService {
  private readonly logger = new Logger(ChannelsService.name);

  constructor(
    private readonly repo: ChannelsRepository,
    private readonly http: SafeHttpClient,
    private readonly events: DomainEvents,
    private readonly hooks: ChannelHooks,
    private readonly store: StoreAdapter,
    private readonly cipher: CredentialsCipher,
  ) {}

  /** Creates a channel from a service's setup body; each platform endpoint gets its own signing secret. */
  async setup(clientIdentifier: string, service: string, body: unknown): Promise<SetupResult> {
    const { service: svc, input } = await readSetupBody(service, body);
    const slugs = input.platforms.map((p) => p.slug);
    const dup = slugs.find((s, i) => slugs.indexOf(s) !== i);
    if (dup)
      throw AppError.badRequest(ChannelErrorCode.DUPLICATE_PLATFORM_SLUG, `Platform slug "${dup}" is listed twice`, [
        { field: 'platforms', messages: [`slug "${dup}" is listed twice`] },
      ]);
    if (!slugs.includes(input.startingPlatform))
      throw AppError.badRequest(ChannelErrorCode.INVALID_STARTING_PLATFORM, `startingPlatform "${input.startingPlatform}" is not one of the platforms`, [
        { field: 'startingPlatform', messages: [`must be one of: ${slugs.join(', ')}`] },
      ]);
    input.platforms.forEach((p, i) => this.assertCallbackUrl(p.callbackUrl, `platforms[${i}].callbackUrl`));

    const platforms: PlatformEndpoint[] = input.platforms.map((p) => ({ slug: p.slug, callbackUrl: p.callbackUrl, enabled: true, secret: newWebhookSecret() }));
    const record = await this.store.uniqueInsert(
      () =>
        this.repo.insert({
          clientIdentifier,
          service: svc,
          provider: input.provider,
          ...(input.secrets
            ? {
                credentials: this.cipher.encrypt(input.secrets),
                credentialsPreview: Object.fromEntries(Object.entries(input.secrets).map(([k, v]) => [k, credentialPreview(v)])),
              }
            : {}),
          platforms,
          startingPlatform: input.startingPlatform,
          ...(input.description ? { description: input.description } : {}),
        }),
      () =>
        AppError.conflict(ChannelErrorCode.CHANNEL_NUMBER_TAKEN, `This account already has a ${svc} channel for ${input.provider.clientNumber}`, {
          clientNumber: input.provider.clientNumber,
        }),
    );
    try {
      await this.hooks.channelCreated(record);
    } catch (err) {
      // A provider that could not be configured (e.g. 360dialog's webhook) leaves no half-made channel.
      await this.repo.delete(clientIdentifier, record.id).catch(() => undefined);
      throw err;
    }
    this.logger.log({ clientIdentifier, channelId: record.id, service: svc }, 'Channel set up');
    const view = toChannelView(record);
    return { ...view, channelId: view.id, platforms: record.platforms.map((p) => ({ ...toEndpointView(p), secret: p.secret })) };
  }

  async getById(clientIdentifier: string, channelId: string): Promise<ChannelView> {
    return toChannelView(await this.requireRecord(clientIdentifier, channelId));
  }

  async getByPlatformConfigId(clientIdentifier: string, platformConfigId: string): Promise<ChannelView> {
    const record = await this.repo.findByPlatformConfigId(clientIdentifier, platformConfigId);
    if (!record) throw AppError.notFound(ChannelErrorCode.PLATFORM_CONFIG_NOT_FOUND, `Platform configuration ${platformConfigId} not found`);
    return toChannelView(record);
  }

  async list(clientIdentifier: string): Promise<ChannelView[]> {
    return (await this.repo.listByAccount(clientIdentifier)).map(toChannelView);
  }

  /** System-level: a channel by id whatever its account (provider webhooks name the channel in their URL). */
  async findForProvider(channelId: string): Promise<ChannelRecord | undefined> {
    return this.repo.findAnyById(channelId);
  }

  /** The channel's provider secrets, decrypted (for the provider only; never logged or returned). */
  secretsOf(record: ChannelRecord): Record<string, string> {
    return record.credentials ? this.cipher.decrypt(record.credentials) : {};
  }

  /** System-level, all accounts: for restoring sessions at boot. */
  async listAllByService(service: MessageService): Promise<ChannelView[]> {
    return (await this.repo.listByService(service)).map(toChannelView);
  }

  async update(clientIdentifier: string, channelId: string, dto: UpdateChannelDto): Promise<ChannelView> {
    const record = await this.mutate(clientIdentifier, channelId, (current) => {
      const change: Required<Pick<ChannelChange, 'set' | 'unset'>> = { set: {}, unset: [] };
      if (dto.startingPlatform !== undefined) {
        if (!current.platforms.some((p) => p.slug === dto.startingPlatform))
          throw AppError.badRequest(ChannelErrorCode.INVALID_STARTING_PLATFORM, `startingPlatform "${dto.startingPlatform}" is not one of the channel's platforms`, [
            { field: 'startingPlatform', messages: [`must be one of: ${current.platforms.map((p) => p.slug).join(', ')}`] },
          ]);
        change.set.startingPlatform = dto.startingPlatform;
      }
      if (dto.description === '') change.unset.push('description');
      else if (dto.description !== undefined) change.set.description = dto.description;
      if (dto.provider?.companyId !== undefined) change.set['provider.companyId'] = dto.provider.companyId;
      return change;
    });
    return toChannelView(record);
  }

  /**
   * Deletes the channel, tells the session manager (`channel.deleted`), then lets dependent
   * modules clean up (contacts of the channel are deleted: see docs).
   */
  async delete(clientIdentifier: string, channelId: string): Promise<{ id: string; deleted: true }> {
    const record = await this.requireRecord(clientIdentifier, channelId);
    if (!(await this.repo.delete(clientIdentifier, channelId))) throw channelNotFound(channelId);
    this.events.publish({
      name: DomainEventName.ChannelDeleted,
      clientIdentifier,
      channelId,
      occurredAt: new Date(),
      payload: { service: record.service, platformConfigId: record.platformConfigId },
    });
    await this.hooks.channelDeleted(clientIdentifier, channelId);
    this.logger.log({ clientIdentifier, channelId }, 'Channel deleted');
    return { id: channelId, deleted: true };
  }

  /** For webhook delivery only: the endpoint with its signing secret(s). */
  async getEndpointForDelivery(clientIdentifier: string, channelId: string, slug: string): Promise<DeliveryEndpoint | undefined> {
    const record = await this.repo.findById(clientIdentifier, channelId);
    const p = record?.platforms.find((e) => e.slug === slug);
    if (!p) return undefined;
    const overlap = p.previousSecret && p.previousSecretExpiresAt && p.previousSecretExpiresAt.getTime() > Date.now();
    return { slug: p.slug, callbackUrl: p.callbackUrl, enabled: p.enabled, secret: p.secret, ...(overlap ? { previousSecret: p.previousSecret } : {}) };
  }

  /** Delivery gave up on an endpoint (e.g. it answered 410): events stop going there until re-enabled. */
  async disableEndpoint(clientIdentifier: string, channelId: string, slug: string, reason: string): Promise<void> {
    try {
      await this.mutate(clientIdentifier, channelId, (current) => {
        const platforms = current.platforms.map((p) => (p.slug === slug ? { ...p, enabled: false, disabledReason: reason.slice(0, 500) } : p));
        return current.platforms.some((p) => p.slug === slug && p.enabled) ? { set: { platforms } } : {};
      });
    } catch (err) {
      // The channel went away meanwhile: nothing left to disable.
      if (!(err instanceof AppError && err.code === ChannelErrorCode.CHANNEL_NOT_FOUND)) throw err;
    }
    this.logger.warn({ clientIdentifier, channelId, slug, reason }, 'Platform endpoint disabled');
  }

  /** Requires the channel, with secrets, for this module's own services. */
  async requireRecord(clientIdentifier: string, channelId: string): Promise<ChannelRecord> {
    const record = await this.repo.findById(clientIdentifier, channelId);
    if (!record) throw channelNotFound(channelId);
    return record;
  }

  /**
   * Read-modify-write of one channel as a guarded update: the change applies only if nobody wrote
   * the channel since it was read (optimistic `version`), else it is decided again on a fresh read
   * (FerretDB has no positional or array-filter updates, so `platforms` is rewritten whole).
   * MongoDB makes the guarded update atomic; the adapter does on FerretDB.
   */
  async mutate(clientIdentifier: string, channelId: string, decide: (current: ChannelRecord) => ChannelChange): Promise<ChannelRecord> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.requireRecord(clientIdentifier, channelId);
      const change = decide(current);
      const empty = !change.set || Object.keys(change.set).length === 0;
      if (empty && !change.unset?.length) return current;
      const updated = await this.store.serialize(`channels:${channelId}`, () => this.repo.applyIfVersion(clientIdentifier, channelId, current.version, change));
      if (updated) return updated;
    }
    throw AppError.conflict(ChannelErrorCode.CONCURRENT_UPDATE, `Channel ${channelId} is being changed by another request; try again`);
  }

  assertCallbackUrl(url: string, field: string): void {
    try {
      this.http.assertAllowedUrl(url);
    } catch (err) {
      if (!(err instanceof OutboundRequestError)) throw err;
      throw AppError.badRequest(ChannelErrorCode.INVALID_CALLBACK_URL, `callbackUrl refused: ${err.message}`, [{ field, messages: [err.message] }]);
    }
  }
}
