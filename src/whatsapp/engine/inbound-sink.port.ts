import type { ChannelMessenger, InboundEngineEvent } from './messaging-engine.port';

/** Which channel (and account) an engine event belongs to. */
export interface EngineContext {
  clientIdentifier: string;
  channelId: string;
}

/**
 * DI token: where the session manager hands every engine event (messages, acks, revokes,
 * edits, reactions, group changes). It awaits `handle` serially per session, so order holds;
 * the inbound pipeline implements it and stores before anything else.
 *
 * WhatsappModule does not bind it. The session manager looks the token up in the whole
 * application (`ModuleRef.get(InboundEventSink, { strict: false })`) and, when no module
 * provides it, falls back to a sink that only logs. The inbound module provides the real
 * one (globally exported, or anywhere in the app graph).
 */
export abstract class InboundEventSink {
  abstract handle(ctx: EngineContext, event: InboundEngineEvent, session: ChannelMessenger): Promise<void>;

  /**
   * For providers that must acknowledge a delivery (an HTTP webhook): resolves only once the
   * events are in the journal, so a 200 is never answered for something not stored.
   */
  abstract store(ctx: EngineContext, events: InboundEngineEvent[], messenger: ChannelMessenger): Promise<void>;
}
