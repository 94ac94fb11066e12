import { DynamicModule, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ChannelHooks } from '../channels/channel-hooks';
import { ChannelsModule } from '../channels/channels.module';
import { AppConfig } from '../config/app-config';
import { AuthSnapshotsModule } from './auth-snapshots/auth-snapshots.module';
import { LinkKeeper } from './auth-snapshots/link-keeper';
import { ClusterController } from './cluster/cluster.controller';
import { ClusterMembers } from './cluster/cluster-members';
import { CommandBus } from './cluster/command-bus';
import { SessionRouter } from './cluster/session-router';
import { MessagingEngine } from './engine/messaging-engine.port';
import { WwebjsEngine } from './engine/wwebjs/wwebjs.engine';
import { ChannelGroupsController } from './groups/channel-groups.controller';
import { ChannelGroupsService } from './groups/channel-groups.service';
import { OnboardingLinksController, OnboardingPageController } from './onboarding/onboarding.controller';
import { OnboardingTokens } from './onboarding/onboarding-token';
import { OnboardingService } from './onboarding/onboarding.service';
import { SandboxControlController } from './sandbox/sandbox-control.controller';
import { SandboxControlService } from './sandbox/sandbox-control.service';
import { ChannelDirectory } from './sessions/channel-directory';
import { WhatsappSession, WhatsappSessionSchema } from './sessions/schemas/whatsapp-session.schema';
import { SessionHealth } from './sessions/session-health';
import { SessionLease } from './sessions/session-lease';
import { SessionManager } from './sessions/session-manager';
import { SessionRegistry } from './sessions/session-registry';
import { WebChannelDirectory } from './sessions/web-channel-directory';
import { SessionStatusBus } from './sessions/session-status-bus';
import { SessionStreams } from './sessions/session-streams';
import { SessionsController } from './sessions/sessions.controller';
import { SessionsRepository } from './sessions/sessions.repository';

/** Deleting a channel stops its session and deletes its link before the delete answers. */
@Injectable()
class ChannelDeletionHook implements OnModuleInit {
  constructor(
    private readonly hooks: ChannelHooks,
    private readonly manager: SessionManager,
  ) {}

  onModuleInit(): void {
    this.hooks.register({ channelDeleted: (clientIdentifier, channelId) => this.manager.commands.forget(clientIdentifier, channelId) });
  }
}

/**
 * WhatsApp Web channels: the session manager (one whatsapp-web.js browser per channel, a
 * state machine each, a Redis lease so one process runs it), onboarding (signed QR popup,
 * pairing codes, SSE) and, with WHATSAPP_ENGINE=sandbox, the offline sandbox and its control
 * API. Exports SessionRegistry for messages, conversations and webhooks.
 *
 * Engine events go to the InboundEventSink the app provides (looked up at runtime; logged when
 * no module provides one), see engine/inbound-sink.port.ts.
 */
@Module({})
export class WhatsappModule {
  static forRoot(config: AppConfig): DynamicModule {
    const sandbox = config.whatsapp.engine === 'sandbox';
    return {
      // Global so that messages, conversations and webhooks can inject SessionRegistry without
      // building this config-dependent module themselves.
      global: true,
      module: WhatsappModule,
      imports: [ChannelsModule, AuthSnapshotsModule, MongooseModule.forFeature([{ name: WhatsappSession.name, schema: WhatsappSessionSchema }])],
      controllers: [
        SessionsController,
        ClusterController,
        ChannelGroupsController,
        OnboardingLinksController,
        OnboardingPageController,
        // Module composition, not runtime checks: outside sandbox mode these routes do not exist.
        ...(sandbox ? [SandboxControlController] : []),
      ],
      providers: [
        { provide: MessagingEngine, useFactory: () => WwebjsEngine.fromConfig(config) },
        { provide: ChannelDirectory, useClass: WebChannelDirectory },
        SessionsRepository,
        SessionLease,
        LinkKeeper,
        ClusterMembers,
        CommandBus,
        SessionRouter,
        SessionStatusBus,
        SessionManager,
        SessionRegistry,
        SessionStreams,
        SessionHealth,
        ChannelDeletionHook,
        OnboardingTokens,
        OnboardingService,
        ChannelGroupsService,
        ...(sandbox ? [SandboxControlService] : []),
      ],
      exports: [SessionRegistry, SessionStatusBus],
    };
  }
}
