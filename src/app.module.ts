import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AccountsModule } from './accounts/accounts.module';
import { ChannelsModule } from './channels/channels.module';
import { ApiKeyGuard } from './common/auth/api-key.guard';
import { RequestAuthenticator } from './common/auth/request-authenticator';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { EventsModule } from './common/events/events.module';
import { HttpClientModule } from './common/http/http-client.module';
import { LoggingModule } from './common/logging/logging.module';
import { SchedulingModule } from './common/scheduling/scheduling.module';
import { operatorInjectionMiddleware } from './common/validation/operator-injection.middleware';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { ConsoleModule } from './console/console.module';
import { ContactsModule } from './contacts/contacts.module';
import { ConversationsModule } from './conversations/conversations.module';
import { Connections } from './database/connections';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { InboundModule } from './inbound/inbound.module';
import { MessagesModule } from './messages/messages.module';
import { MetricsModule } from './metrics/metrics.module';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { RedisModule } from './redis/redis.module';
import { StoreModule } from './store/store.module';
import { TagsModule } from './tags/tags.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { WhatsappModule } from './whatsapp/whatsapp.module';

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: AppConfig, connections: Connections): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        DatabaseModule.forRoot(connections),
        RedisModule.forRoot(connections, config.storage.queuePrefix),
        StoreModule.forRoot(),
        RateLimitModule,
        EventsModule,
        SchedulingModule,
        HttpClientModule,
        HealthModule,
        MetricsModule,
        AccountsModule,
        ChannelsModule,
        TagsModule,
        ContactsModule,
        WhatsappModule.forRoot(config),
        ConversationsModule,
        MessagesModule,
        WebhooksModule,
        InboundModule,
        ConsoleModule,
      ],
      providers: [
        { provide: Connections, useValue: connections },
        RequestAuthenticator,
        // Order matters: the rate limiter answers 429 before authentication answers 401.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(operatorInjectionMiddleware).forRoutes('*path');
  }
}
