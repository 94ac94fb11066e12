import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ChannelRecord } from '../../channels/channels.repository';
import { ChannelsService } from '../../channels/channels.service';
import { AppError } from '../../common/errors/app-error';
import { InboundEventSink } from '../../whatsapp/engine/inbound-sink.port';
import { ChannelProviders } from '../channel-providers';
import { ProviderErrorCode } from '../providers.errors';
import { CredentialsUnreadableError } from '../credentials-cipher';
import { CloudWebhookShapeError, mapCloudWebhook } from './cloud-webhook.mapper';

/** The header 360dialog adds to its deliveries (set through its webhook config API at setup). */
export const D360_TOKEN_HEADER = 'x-omnichannel-webhook-token';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Authenticates a provider's webhook delivery, turns it into the server's neutral inbound events
 * and journals them before answering (the same pipeline as WhatsApp Web from there on: stored,
 * deduplicated by the provider's message id, delivered to the platforms as signed webhooks).
 */
@Injectable()
export class CloudWebhookService {
  private readonly logger = new Logger(CloudWebhookService.name);
  private sink?: InboundEventSink;

  constructor(
    private readonly channels: ChannelsService,
    private readonly providers: ChannelProviders,
    private readonly moduleRef: ModuleRef,
  ) {}

  async verifySubscription(channelId: string, query: Record<string, unknown>): Promise<string> {
    const channel = await this.channel('whatsappcloud', channelId);
    const token = this.secretsOf(channel).webhookVerifyToken ?? '';
    const given = typeof query['hub.verify_token'] === 'string' ? query['hub.verify_token'] : '';
    const challenge = query['hub.challenge'];
    if (query['hub.mode'] !== 'subscribe' || !token || !sameSecret(given, token))
      throw AppError.forbidden(ProviderErrorCode.WEBHOOK_VERIFICATION_FAILED, 'hub.mode must be subscribe and hub.verify_token the channel’s webhook verify token');
    if (typeof challenge !== 'string' || challenge.length === 0 || challenge.length > 256)
      throw AppError.badRequest(ProviderErrorCode.WEBHOOK_VERIFICATION_FAILED, 'hub.challenge is missing');
    return challenge;
  }

  async receive(service: 'whatsappcloud' | 'd360', channelId: string, raw: Buffer | undefined, headers: IncomingHttpHeaders, body: unknown): Promise<{ received: number }> {
    const channel = await this.channel(service, channelId);
    const secrets = this.secretsOf(channel);
    if (service === 'whatsappcloud') this.checkSignature(raw, headers['x-hub-signature-256'], secrets.appSecret ?? '');
    else this.checkToken(headers[D360_TOKEN_HEADER], secrets.webhookToken ?? '');

    let batches;
    try {
      batches = mapCloudWebhook(body, `${channel.provider.clientNumber}@c.us`);
    } catch (err) {
      if (err instanceof CloudWebhookShapeError) throw AppError.badRequest(ProviderErrorCode.WEBHOOK_PAYLOAD_INVALID, err.message);
      throw err;
    }
    const messenger = this.providers.cloudMessenger(channel);
    let received = 0;
    for (const batch of batches) {
      // A delivery for another number of the same app is not this channel's: never stored under it.
      if (channel.provider.phoneNumberId && batch.phoneNumberId && batch.phoneNumberId !== channel.provider.phoneNumberId) {
        this.logger.warn({ channelId, phoneNumberId: batch.phoneNumberId }, 'Webhook for another phone number id ignored');
        continue;
      }
      for (const error of batch.errors) this.logger.warn({ channelId, code: error.code, title: error.title }, 'The provider reported an error');
      await this.resolveSink().store({ clientIdentifier: channel.clientIdentifier, channelId: channel.id }, batch.events, messenger);
      received += batch.events.length;
    }
    return { received };
  }

  /**
   * Unreadable credentials (PROVIDER_CREDENTIALS_KEY changed without the old key kept) are the operator's
   * to fix: 503, so the provider keeps redelivering until the key is back, and nothing is lost.
   */
  private secretsOf(channel: ChannelRecord): Record<string, string> {
    try {
      return this.channels.secretsOf(channel);
    } catch (err) {
      if (!(err instanceof CredentialsUnreadableError)) throw err;
      this.logger.error({ channelId: channel.id, err: err.message }, 'Channel credentials cannot be decrypted');
      throw AppError.unavailable(ProviderErrorCode.PROVIDER_CREDENTIALS_UNREADABLE, 'The channel’s provider credentials cannot be read by this server');
    }
  }

  private checkSignature(raw: Buffer | undefined, header: string | string[] | undefined, appSecret: string): void {
    const given = typeof header === 'string' ? header : '';
    if (!raw || !appSecret || !given.startsWith('sha256=')) throw this.unauthorized();
    const expected = `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
    if (!sameSecret(given.toLowerCase(), expected)) throw this.unauthorized();
  }

  private checkToken(header: string | string[] | undefined, token: string): void {
    if (!token || typeof header !== 'string' || !sameSecret(header, token)) throw this.unauthorized();
  }

  private unauthorized(): AppError {
    return AppError.unauthorized(ProviderErrorCode.WEBHOOK_SIGNATURE_INVALID, 'The webhook signature or token is missing or wrong');
  }

  /** 404 for a channel that does not exist or is not of this provider (same answer: nothing to probe). */
  private async channel(service: string, channelId: string): Promise<ChannelRecord> {
    const channel = await this.channels.findForProvider(channelId);
    if (!channel || channel.service !== service) throw AppError.notFound(ProviderErrorCode.WEBHOOK_CHANNEL_NOT_FOUND, `No ${service} channel ${channelId}`);
    return channel;
  }

  private resolveSink(): InboundEventSink {
    this.sink ??= this.moduleRef.get(InboundEventSink, { strict: false });
    return this.sink;
  }
}
