import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EngineSession } from '../whatsapp/engine/messaging-engine.port';
import { SessionRegistry, SessionStatusSummary } from '../whatsapp/sessions/session-registry';

/**
 * SessionRegistry as this module sees it. WhatsappModule is a dynamic module built from config in
 * AppModule, so it is looked up in the application (like the inbound sink is) rather than imported
 * a second time.
 */
@Injectable()
export class WhatsappSessions {
  private registry?: SessionRegistry;

  constructor(private readonly moduleRef: ModuleRef) {}

  requireReady(clientIdentifier: string, channelId: string): Promise<EngineSession> {
    return this.resolve().requireReady(clientIdentifier, channelId);
  }

  getStatus(clientIdentifier: string, channelId: string): Promise<SessionStatusSummary> {
    return this.resolve().getStatus(clientIdentifier, channelId);
  }

  private resolve(): SessionRegistry {
    this.registry ??= this.moduleRef.get(SessionRegistry, { strict: false });
    return this.registry;
  }
}
