import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { ChannelHooks } from '../channels/channel-hooks';
import { ChannelsModule } from '../channels/channels.module';
import { ChannelsService } from '../channels/channels.service';
import { AppError } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import { ChannelProviders } from './channel-providers';
import { CloudApiError } from './cloud/cloud-client';
import { CloudWebhookController } from './cloud/cloud-webhook.controller';
import { CloudWebhookService, D360_TOKEN_HEADER } from './cloud/cloud-webhook.service';
import { TemplatesController } from './cloud/templates.controller';
import { TemplatesService } from './cloud/templates.service';
import { ProviderErrorCode } from './providers.errors';

/**
 * 360dialog posts a number's webhooks where its config API says: at setup the channel's URL and
 * token header are set there, and a failure undoes the setup (a channel that receives nothing is worse
 * than a clear error). Meta's webhook URL is set by the user in the app dashboard (docs/providers.md).
 */
@Injectable()
class ProviderSetupHooks implements OnModuleInit {
  constructor(
    private readonly hooks: ChannelHooks,
    private readonly channels: ChannelsService,
    private readonly providers: ChannelProviders,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.hooks.register({
      channelCreated: async (channel) => {
        if (channel.service !== 'd360') return;
        const url = `${this.config.http.publicBaseUrl}/providers/d360/${channel.id}/webhook`;
        const token = this.channels.secretsOf(channel).webhookToken;
        try {
          await this.providers.cloudClient(channel).configureWebhook(url, { [D360_TOKEN_HEADER]: token });
        } catch (err) {
          if (!(err instanceof CloudApiError)) throw err;
          throw new AppError(502, ProviderErrorCode.PROVIDER_REQUEST_FAILED, `360dialog refused the webhook configuration: ${err.failure.message}`, { reason: err.failure.reason });
        }
      },
      channelDeleted: async (_clientIdentifier, channelId) => this.providers.forget(channelId),
    });
  }
}

/** The provider registry and the official WhatsApp Business Platform provider (Meta Cloud API, 360dialog). */
@Module({
  imports: [ChannelsModule],
  controllers: [CloudWebhookController, TemplatesController],
  providers: [ChannelProviders, CloudWebhookService, ProviderSetupHooks, TemplatesService],
  exports: [ChannelProviders, TemplatesService],
})
export class ProvidersModule {}
