import { BullBoardModule } from '@bull-board/nestjs';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ChannelsModule } from '../channels/channels.module';
import { AppConfig } from '../config/app-config';
import { ChannelWebhookEndpoints } from './channel-webhook-endpoints';
import { ChatSequencer } from './chat-sequencer';
import { ChatSequencesRepository } from './chat-sequences.repository';
import { EndpointLimiter } from './endpoint-limiter';
import { adminKeyMiddleware } from './queues-board';
import { RetryPolicy } from './retry-policy';
import { ChatSequence, ChatSequenceSchema, WebhookEvent, WebhookEventSchema } from './schemas/webhook-event.schema';
import { WebhookDelivery } from './webhook-delivery.service';
import { WebhookEndpoints } from './webhook-endpoints';
import { WebhookEventsRepository } from './webhook-events.repository';
import { WebhookLogService } from './webhook-log.service';
import { WebhookMetrics } from './webhook-metrics';
import { WebhookOutboxMigration } from './webhook-outbox.migration';
import { WebhookOutbox } from './webhook-outbox.service';
import { WebhookQueue } from './webhook-queue';
import { WebhookSweeper } from './webhook-sweeper.service';
import { WebhookWorker } from './webhook-worker.service';
import { WebhooksController } from './webhooks.controller';
import { WEBHOOKS_QUEUE } from './webhooks.constants';

/**
 * Durable, signed webhook delivery: the outbox (webhook_events, also the delivery log), the
 * BullMQ queue and worker, retries, the sweeper, replay, the log API, Bull Board at /queues
 * (admin key) and delivery metrics. Other modules record events through WebhookOutbox.
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: WebhookEvent.name, schema: WebhookEventSchema },
      { name: ChatSequence.name, schema: ChatSequenceSchema },
    ]),
    BullModule.registerQueue({ name: WEBHOOKS_QUEUE }),
    BullBoardModule.forRootAsync({
      useFactory: (config: AppConfig) => ({
        route: '/queues',
        // @bull-board/express 9.10.1 nests its own @bull-board/api 9.10.1 (root has 9.10.2): same
        // runtime shape, distinct private types.
        adapter: ExpressAdapter as never,
        middleware: adminKeyMiddleware(config.security.adminApiKey),
      }),
      inject: [AppConfig],
    }),
    BullBoardModule.forFeature({ name: WEBHOOKS_QUEUE, adapter: BullMQAdapter }),
    ChannelsModule,
  ],
  controllers: [WebhooksController],
  providers: [
    WebhookEventsRepository,
    WebhookOutboxMigration,
    ChatSequencesRepository,
    ChatSequencer,
    WebhookQueue,
    WebhookOutbox,
    WebhookDelivery,
    WebhookWorker,
    WebhookSweeper,
    WebhookLogService,
    WebhookMetrics,
    EndpointLimiter,
    { provide: RetryPolicy, useFactory: (config: AppConfig) => new RetryPolicy(config.webhooks.retryDelaysMs, undefined, undefined, config.webhooks.maxDeliveryMs), inject: [AppConfig] },
    { provide: WebhookEndpoints, useClass: ChannelWebhookEndpoints },
  ],
  exports: [WebhookOutbox, WebhookEventsRepository, WebhookMetrics],
})
export class WebhooksModule {}
