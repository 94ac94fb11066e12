import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ChannelRecord } from '../channels/channels.repository';
import { ChannelsService } from '../channels/channels.service';
import { ChannelErrorCode } from '../channels/channels.errors';
import { AppError } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import type { ChannelMessenger } from '../whatsapp/engine/messaging-engine.port';
import { InboundEventSink } from '../whatsapp/engine/inbound-sink.port';
import { SessionRegistry, SessionStatusSummary } from '../whatsapp/sessions/session-registry';
import { CloudClient } from './cloud/cloud-client';
import { CloudMessenger } from './cloud/cloud-messenger';
import { assertFeatureSupported, isCloudService, ProviderFeature } from './provider-capabilities';

interface CloudEntry {
  /** The channel's updatedAt when built: a changed channel (new token) gets a new client. */
  stamp: number;
  client: CloudClient;
  messenger: CloudMessenger;
}

/**
 * The provider registry: which provider serves a channel, by the channel's service. WhatsApp Web
 * channels are served by their live session (SessionRegistry, a dynamic module looked up in the
 * application); official-API channels by a stateless HTTP client built from their decrypted credentials.
 */
@Injectable()
export class ChannelProviders {
  private registry?: SessionRegistry;
  private readonly cloud = new Map<string, CloudEntry>();
  /**
   * WhatsApp Web channels seen here. A channel's service never changes, so their sends go straight to the
   * session registry (which checks the channel and its account) without reading the channel again.
   */
  private readonly webChannels = new Set<string>();

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly channels: ChannelsService,
    private readonly config: AppConfig,
  ) {}

  /**
   * What sends and actions go through. WhatsApp Web: 422 CHANNEL_NOT_READY unless READY, 503
   * SESSION_NOT_LOCAL when another process owns it. Official API: always there.
   */
  async requireReady(clientIdentifier: string, channelId: string): Promise<ChannelMessenger> {
    const record = await this.cloudRecord(clientIdentifier, channelId);
    if (record) return this.cloudEntry(record).messenger;
    return this.sessions().requireReady(clientIdentifier, channelId);
  }

  /** The channel's connection state; an official-API channel has no session and is always READY. */
  async getStatus(clientIdentifier: string, channelId: string): Promise<SessionStatusSummary> {
    const record = await this.cloudRecord(clientIdentifier, channelId);
    if (record) return { state: 'READY', me: `${record.provider.clientNumber}@c.us`, updatedAt: record.updatedAt };
    return this.sessions().getStatus(clientIdentifier, channelId);
  }

  /** The official-API client of a channel record (setup's webhook configuration). */
  cloudClient(record: ChannelRecord): CloudClient {
    return this.cloudEntry(record).client;
  }

  /** The messenger of an official-API channel record (its webhook deliveries, for media). */
  cloudMessenger(record: ChannelRecord): ChannelMessenger {
    return this.cloudEntry(record).messenger;
  }

  /** The official-API client of an account's channel; 422 ENGINE_FEATURE_UNSUPPORTED when its provider lacks `feature`. */
  async cloudClientFor(clientIdentifier: string, channelId: string, feature: ProviderFeature): Promise<CloudClient> {
    const record = await this.channel(clientIdentifier, channelId);
    assertFeatureSupported(record.service, feature);
    return this.cloudEntry(record).client;
  }

  /** The channel when it runs on the official API; undefined for WhatsApp Web (remembered: no second read). */
  private async cloudRecord(clientIdentifier: string, channelId: string): Promise<ChannelRecord | undefined> {
    if (this.webChannels.has(channelId)) return undefined;
    const record = await this.channel(clientIdentifier, channelId);
    if (isCloudService(record.service)) return record;
    this.webChannels.add(channelId);
    return undefined;
  }

  private async channel(clientIdentifier: string, channelId: string): Promise<ChannelRecord> {
    const record = await this.channels.findForProvider(channelId);
    if (!record || record.clientIdentifier !== clientIdentifier) throw AppError.notFound(ChannelErrorCode.CHANNEL_NOT_FOUND, `Channel ${channelId} not found`);
    return record;
  }

  private cloudEntry(record: ChannelRecord): CloudEntry {
    const stamp = new Date(record.updatedAt).getTime();
    const cached = this.cloud.get(record.id);
    if (cached && cached.stamp === stamp) return cached;
    const secrets = this.channels.secretsOf(record);
    const cloud = this.config.cloud;
    const client = new CloudClient(
      {
        flavour: record.service === 'd360' ? 'd360' : 'meta',
        phoneNumberId: record.provider.phoneNumberId,
        wabaId: record.provider.wabaId,
        apiVersion: record.provider.apiVersion ?? cloud.graphApiVersion,
        accessToken: secrets.accessToken,
        apiKey: secrets.apiKey,
      },
      { graphApiUrl: cloud.graphApiUrl, d360ApiUrl: cloud.d360ApiUrl, timeoutMs: cloud.timeoutMs, maxMediaBytes: this.config.messages.mediaMaxBytes },
    );
    const ctx = { clientIdentifier: record.clientIdentifier, channelId: record.id };
    const messenger: CloudMessenger = new CloudMessenger(record.id, record.service, client, `${record.provider.clientNumber}@c.us`, (event) =>
      this.moduleRef.get(InboundEventSink, { strict: false }).store(ctx, [event], messenger),
    );
    const entry = { stamp, client, messenger };
    this.cloud.set(record.id, entry);
    return entry;
  }

  /** Drops a deleted channel's client (its secrets leave memory with it). */
  forget(channelId: string): void {
    this.cloud.delete(channelId);
    this.webChannels.delete(channelId);
  }

  private sessions(): SessionRegistry {
    this.registry ??= this.moduleRef.get(SessionRegistry, { strict: false });
    return this.registry;
  }
}
