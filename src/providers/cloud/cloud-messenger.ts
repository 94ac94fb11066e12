import type { ChannelMessenger, ChatId, InboundEngineEvent, DeleteOutcome, MediaPayload, OutboundContent, SendOptions, SentMessage } from '../../whatsapp/engine/messaging-engine.port';
import { EngineFeatureUnsupportedError } from '../../whatsapp/engine/messaging-engine.port';
import type { CloudClient } from './cloud-client';
import { buildCloudMessage, buildMarkRead, buildReaction } from './cloud-message.builder';

/**
 * A channel of the official API as the send queue sees it: stateless, one HTTP call per send (two
 * for media: upload, then send by id, so the bytes we fetched and checked are what the customer gets).
 */
export class CloudMessenger implements ChannelMessenger {
  constructor(
    readonly channelId: string,
    private readonly service: string,
    private readonly client: CloudClient,
    /** The channel's own number (`<digits>@c.us`). */
    private readonly me: string,
    /**
     * The official API reports nothing back for our own reactions (WhatsApp Web does, as events):
     * the messenger hands the inbound pipeline the event itself, so one owner stores it and tells the platforms.
     */
    private readonly ownEvent: (event: InboundEngineEvent) => Promise<void>,
  ) {}

  async sendMessage(chatId: ChatId, content: OutboundContent, options: SendOptions = {}): Promise<SentMessage> {
    const mediaId = content.kind === 'media' || content.kind === 'sticker' ? await this.client.upload(content.media) : undefined;
    const { id } = await this.client.post(buildCloudMessage(chatId, content, { replyTo: options.quotedMessageId, mediaId }));
    return { id: id ?? '', timestamp: Math.floor(Date.now() / 1000) };
  }

  async react(messageId: string, emoji: string, chatId?: ChatId): Promise<void> {
    if (!chatId) throw new Error('the official API needs the chat of the message reacted to');
    await this.client.post(buildReaction(chatId, messageId, emoji));
    await this.ownEvent({ type: 'reaction', messageId, chatId, senderId: this.me, emoji, timestamp: Math.floor(Date.now() / 1000) });
  }

  forward(): Promise<SentMessage | undefined> {
    return Promise.reject(new EngineFeatureUnsupportedError('forward', this.service));
  }

  deleteMessage(): Promise<DeleteOutcome> {
    return Promise.reject(new EngineFeatureUnsupportedError('delete', this.service));
  }

  /** `ref`: the media id of the inbound webhook (the wamid alone does not reach the file). */
  async downloadMedia(_messageId: string, ref?: string): Promise<MediaPayload | undefined> {
    return ref ? this.client.download(ref) : undefined;
  }

  async markRead(messageId: string): Promise<void> {
    await this.client.post(buildMarkRead(messageId));
  }
}
