import { ProvidersModule } from '../providers/providers.module';
import { Global, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { SessionAuthenticator } from '../common/auth/principal';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { ChannelsModule } from '../channels/channels.module';
import { ConsoleApiController } from './console-api.controller';
import { ConsoleAssetsController } from './console-assets.controller';
import { ConsoleAuthController } from './console-auth.controller';
import { ConsoleCookie } from './console-cookie';
import { consoleSecurityHeaders } from './console-headers';
import { ConsoleReadRepository } from './console-read.repository';
import { ConsoleSessionAuthenticator } from './console-session.authenticator';
import { ConsoleSessionStore } from './console-session.store';
import { ConsoleService } from './console.service';

/**
 * The operator console at /console: its built page, cookie sessions (the API's global guard
 * accepts them through SessionAuthenticator, so the page calls the ordinary API), and the few
 * reads the pages need that the API lacks. See docs/console.md.
 */
@Global()
@Module({
  imports: [ChannelsModule, WebhooksModule, ProvidersModule],
  controllers: [ConsoleAssetsController, ConsoleAuthController, ConsoleApiController],
  providers: [
    ConsoleCookie,
    ConsoleSessionStore,
    ConsoleReadRepository,
    ConsoleService,
    ConsoleSessionAuthenticator,
    { provide: SessionAuthenticator, useExisting: ConsoleSessionAuthenticator },
  ],
  exports: [SessionAuthenticator],
})
export class ConsoleModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(consoleSecurityHeaders).forRoutes({ path: 'console', method: RequestMethod.ALL }, { path: 'console/*path', method: RequestMethod.ALL });
  }
}
