import { Injectable } from '@nestjs/common';
import { ChannelsService } from '../channels/channels.service';
import { WebhookEndpoint, WebhookEndpoints } from './webhook-endpoints';

/** Endpoint reads are cached this long: a changed URL or rotated secret applies within it. */
const CACHE_TTL_MS = 5_000;
const CACHE_MAX = 10_000;

/**
 * WebhookEndpoints over the channels module. Every delivery needs its endpoint; a short cache
 * keeps that off the database at thousands of deliveries a second.
 */
@Injectable()
export class ChannelWebhookEndpoints extends WebhookEndpoints {
  private readonly cache = new Map<string, { expires: number; value: Promise<WebhookEndpoint | undefined> }>();

  constructor(private readonly channels: ChannelsService) {
    super();
  }

  get(clientIdentifier: string, channelId: string, slug: string, opts: { fresh?: boolean } = {}): Promise<WebhookEndpoint | undefined> {
    const key = `${clientIdentifier}\u0000${channelId}\u0000${slug}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.expires > now && !opts.fresh) return hit.value;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    const value = this.channels.getEndpointForDelivery(clientIdentifier, channelId, slug);
    this.cache.set(key, { expires: now + CACHE_TTL_MS, value });
    // A failed read is not cached.
    value.catch(() => this.cache.delete(key));
    return value;
  }

  async disable(clientIdentifier: string, channelId: string, slug: string, reason: string): Promise<void> {
    await this.channels.disableEndpoint(clientIdentifier, channelId, slug, reason);
    this.cache.delete(`${clientIdentifier}\u0000${channelId}\u0000${slug}`);
  }
}
