/** The little a session needs to know about a channel. */
export interface ChannelRef {
  id: string;
  clientIdentifier: string;
  platformConfigId: string;
  provider: { clientNumber: string };
}

/**
 * The session manager's view of channels, bound to ChannelsService (`useExisting`) in
 * WhatsappModule. Kept narrow so the state machine can be unit-tested without the channels
 * module. getById/getByPlatformConfigId throw 404 CHANNEL_NOT_FOUND / PLATFORM_CONFIG_NOT_FOUND.
 */
export abstract class ChannelDirectory {
  abstract getById(clientIdentifier: string, channelId: string): Promise<ChannelRef>;
  abstract getByPlatformConfigId(clientIdentifier: string, platformConfigId: string): Promise<ChannelRef>;
  /** System-level, all accounts: for restoring sessions at boot. */
  abstract listAllByService(service: 'whatsappweb'): Promise<ChannelRef[]>;
}
