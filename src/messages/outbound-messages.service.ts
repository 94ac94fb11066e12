import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { assertFeatureSupported, isCloudService, ProviderFeature } from '../providers/provider-capabilities';
import { ServiceWindow } from './service-window';
import { TemplatesService } from '../providers/cloud/templates.service';
import type { InteractiveContent } from '../whatsapp/engine/messaging-engine.port';
import { withAgentName } from './content/agent-name';
import { MediaFetcher } from './content/media-fetcher';
import { mediaKindFor } from './content/media-kind';
import { buildVcard } from './content/vcard';
import { SendAddressDto, SendContactsDto, SendInteractiveDto, SendLocationDto, SendLocationRequestDto, SendStickerDto, SendTemplateDto, ForwardMessageDto } from './dto/kind-messages.dto';
import { SendGroupMessageDto, SendMessageDto } from './dto/send-message.dto';
import { requestHash } from './idempotency';
import { MessageView, OutboundMessage } from './message.types';
import { MessageErrorCode } from './messages.errors';
import { MessagesRepository, NewOutbound, publicView } from './messages.repository';
import { SendQueues } from './pipeline/send-queues';
import { SendWorkers } from './pipeline/send-workers';
import { SendTarget, SendTargetResolver, TargetFields } from './send-target.resolver';

export interface Accepted {
  message: MessageView;
  /** True when an earlier call with the same Idempotency-Key stored it. */
  replayed: boolean;
}

type Content = Omit<NewOutbound, 'channelId' | 'chatId' | 'isGroup' | 'contactId' | 'conversationId' | 'platform' | 'timestamp' | 'outbound' | 'idempotencyKey'> & {
  outbound?: Partial<NewOutbound['outbound']>;
};

const STICKER_TYPES = ['image/webp', 'image/png', 'image/jpeg'];

/**
 * Accepts outbound messages: checks the target and the content, fetches media, stores the message
 * (status queued) FIRST, then enqueues it on the channel's send queue and answers at once.
 */
@Injectable()
export class OutboundMessagesService {
  private readonly logger = new Logger(OutboundMessagesService.name);

  constructor(
    private readonly targets: SendTargetResolver,
    private readonly repository: MessagesRepository,
    private readonly queues: SendQueues,
    private readonly media: MediaFetcher,
    private readonly window: ServiceWindow,
    private readonly templates: TemplatesService,
    private readonly workers: SendWorkers,
  ) {}

  /** 5.1-5.3 and 6.1-6.3: text or media (with caption), optionally as a reply. */
  sendContent(clientIdentifier: string, route: string, dto: SendMessageDto | SendGroupMessageDto, key?: string): Promise<Accepted> {
    exactlyOneContent(dto);
    return this.accept(clientIdentifier, route, dto, key, dto.text !== undefined ? 'text' : 'media', async () => {
      const show = dto.showAgentName ?? true;
      if (dto.text !== undefined)
        return { kind: 'text', body: withAgentName(dto.text, dto.agentName, show), agentName: dto.agentName, ...(dto.linkPreview ? { outbound: { linkPreview: true } } : {}) };
      const fetched = await this.media.fetch(clientIdentifier, dto.mediaUri!, dto.fileName);
      const { kind, voice } = mediaKindFor(fetched.mimetype);
      return {
        kind,
        caption: withAgentName(dto.caption, dto.agentName, show),
        media: { ...fetched, ...(voice ? { voice: true } : {}) },
        agentName: dto.agentName,
      };
    });
  }

  sendSticker(clientIdentifier: string, dto: SendStickerDto, key?: string): Promise<Accepted> {
    return this.accept(clientIdentifier, 'sticker', dto, key, 'sticker', async () => {
      const fetched = await this.media.fetch(clientIdentifier, dto.mediaUri);
      if (!STICKER_TYPES.includes(fetched.mimetype))
        throw AppError.unprocessable(MessageErrorCode.MEDIA_TYPE_NOT_ALLOWED, `A sticker must be a WebP, PNG or JPEG image, not ${fetched.mimetype}`, { mimetype: fetched.mimetype });
      return { kind: 'sticker', media: fetched, agentName: dto.agentName };
    });
  }

  sendContacts(clientIdentifier: string, dto: SendContactsDto, key?: string): Promise<Accepted> {
    return this.accept(clientIdentifier, 'contacts', dto, key, 'contacts', async () => ({ kind: 'contacts', vcards: dto.contacts.map(buildVcard), agentName: dto.agentName }));
  }

  sendLocation(clientIdentifier: string, dto: SendLocationDto | SendAddressDto, route: 'location' | 'address', key?: string): Promise<Accepted> {
    return this.accept(clientIdentifier, route, dto, key, 'location', async () => ({
      kind: 'location',
      location: { latitude: dto.latitude, longitude: dto.longitude, name: dto.name, address: 'address' in dto ? dto.address : undefined, url: dto.url },
      agentName: dto.agentName,
    }));
  }

  /** 5.11 / 6.11: a forward copies a message of the same channel; WhatsApp marks it forwarded. */
  forward(clientIdentifier: string, dto: ForwardMessageDto, key?: string): Promise<Accepted> {
    return this.accept(clientIdentifier, 'forward', dto, key, 'forward', async (target) => {
      const candidates = await this.repository.findByReference(clientIdentifier, dto.messageId);
      const source = candidates.find((m) => m.channelId === target.channel.id);
      if (!source) {
        if (candidates.length > 0)
          throw AppError.unprocessable(MessageErrorCode.FORWARD_ACROSS_CHANNELS, 'A message can only be forwarded within its own channel (WhatsApp number)');
        throw AppError.notFound(MessageErrorCode.MESSAGE_NOT_FOUND, `Message ${dto.messageId} not found`);
      }
      if (source.status === 'failed') throw AppError.unprocessable(MessageErrorCode.MESSAGE_NOT_SENT, `Message ${source.id} never reached WhatsApp`);
      return {
        kind: source.kind,
        body: source.body,
        caption: source.caption,
        media: source.media,
        location: source.location,
        vcards: source.vcards,
        isForwarded: true,
        agentName: dto.agentName,
        outbound: { op: 'forward', forwardOf: source.id },
      };
    });
  }

  /** 5.7 / 6.7: reply buttons, a list or a call-to-action URL (official API; WhatsApp Web answers 422). */
  sendInteractive(clientIdentifier: string, dto: SendInteractiveDto, key?: string): Promise<Accepted> {
    const interactive = interactiveOf(dto);
    return this.accept(clientIdentifier, 'interactive', dto, key, 'interactive', async () => ({ kind: 'interactive', body: dto.body, interactive, agentName: dto.agentName }));
  }

  /** 5.10 / 6.10: a "send location" button (official API; WhatsApp Web answers 422). */
  sendLocationRequest(clientIdentifier: string, dto: SendLocationRequestDto, key?: string): Promise<Accepted> {
    return this.accept(clientIdentifier, 'location-request', dto, key, 'location_request', async () => ({
      kind: 'interactive',
      body: dto.text,
      interactive: { type: 'location_request', body: dto.text },
      agentName: dto.agentName,
    }));
  }

  /** A pre-approved template (official API): allowed outside the 24 h window; checked to exist first. */
  sendTemplate(clientIdentifier: string, dto: SendTemplateDto, key?: string): Promise<Accepted> {
    const template = { name: dto.name, language: dto.language, ...(dto.components ? { components: dto.components } : {}) };
    return this.accept(clientIdentifier, 'template', dto, key, 'template', async (target) => {
      await this.templates.assertApproved(clientIdentifier, target.channel.id, template);
      return { kind: 'template', body: `[template ${dto.name}]`, template, agentName: dto.agentName };
    });
  }

  private async accept(
    clientIdentifier: string,
    route: string,
    dto: TargetFields & { quotedMessageId?: string },
    key: string | undefined,
    feature: ProviderFeature,
    build: (target: SendTarget) => Promise<Content>,
  ): Promise<Accepted> {
    // Before anything is stored: while Redis is away a send could not be queued, answer 503 at once.
    this.queues.assertAvailable();
    const hash = requestHash(route, dto);
    if (key) {
      const earlier = await this.repository.findByIdempotencyKey(clientIdentifier, key);
      if (earlier) return replay(earlier, hash);
    }
    const target = await this.targets.resolve(clientIdentifier, dto);
    // What the channel's provider cannot do is refused here, before anything is stored or queued.
    const service = target.channel.service;
    assertFeatureSupported(service, feature);
    if (target.isGroup) assertFeatureSupported(service, 'groups');
    if (dto.quotedMessageId) assertFeatureSupported(service, 'reply');
    await this.targets.assertReady(clientIdentifier, target.channel.id);
    if (isCloudService(service) && feature !== 'template') await this.window.assertOpen(target);
    const quoted = dto.quotedMessageId ? await this.quoted(target, dto.quotedMessageId) : {};
    const { outbound, ...content } = await build(target);
    const { message, created } = await this.repository.insertOutbound(clientIdentifier, {
      ...content,
      channelId: target.channel.id,
      chatId: target.chatId,
      isGroup: target.isGroup,
      contactId: target.contactId,
      conversationId: target.conversationId,
      platform: target.platform,
      timestamp: new Date(),
      quotedWaMessageId: quoted.waMessageId,
      outbound: { op: 'send', ...outbound, quotedMessageId: quoted.messageId, requestHash: hash },
      idempotencyKey: key,
    });
    if (!created) return replay(message, hash);
    try {
      await this.workers.startStateless(clientIdentifier, target.channel.id, service, `${target.channel.provider.clientNumber}@c.us`);
      await this.queues.enqueueSend(clientIdentifier, target.channel.id, message.id);
    } catch (err) {
      // Stored as queued: the channel's sweeper enqueues it once the queue answers again.
      this.logger.error({ err, messageId: message.id }, 'Could not enqueue a stored message; the sweeper will');
    }
    return { message: publicView(message), replayed: false };
  }

  /** The quoted message must be in the same chat; one still queued is resolved when this one is sent. */
  private async quoted(target: SendTarget, ref: string): Promise<{ waMessageId?: string; messageId?: string }> {
    const found = (await this.repository.findByReference(target.clientIdentifier, ref, target.channel.id)).find((m) => m.chatId === target.chatId);
    if (!found) throw AppError.notFound(MessageErrorCode.QUOTED_MESSAGE_NOT_FOUND, `Message ${ref} is not in this chat`);
    if (found.waMessageId) return { waMessageId: found.waMessageId };
    if (found.status === 'failed') throw AppError.unprocessable(MessageErrorCode.MESSAGE_NOT_SENT, `Message ${ref} never reached WhatsApp and cannot be quoted`);
    return { messageId: found.id };
  }
}

/** The interactive content of a request, with the fields its type needs (400 when one is missing). */
function interactiveOf(dto: SendInteractiveDto): InteractiveContent {
  const problem = (field: string, text: string) => AppError.badRequest('VALIDATION_FAILED', `Validation failed: ${text}`, [{ field, messages: [text] }]);
  const base = { body: dto.body, ...(dto.header ? { header: dto.header } : {}), ...(dto.footer ? { footer: dto.footer } : {}) };
  if (dto.type === 'button') {
    if (!dto.buttons?.length) throw problem('buttons', 'type button needs 1 to 3 buttons');
    return { type: 'button', ...base, buttons: dto.buttons.map((b) => ({ id: b.id, title: b.title })) };
  }
  if (dto.type === 'list') {
    if (!dto.sections?.length) throw problem('sections', 'type list needs 1 to 10 sections');
    if (!dto.buttonText) throw problem('buttonText', 'type list needs buttonText (the button that opens the list)');
    const rows = dto.sections.reduce((n, s) => n + s.rows.length, 0);
    if (rows > 10) throw problem('sections', 'a list has at most 10 rows in all its sections');
    return {
      type: 'list',
      ...base,
      buttonText: dto.buttonText,
      sections: dto.sections.map((s) => ({ ...(s.title ? { title: s.title } : {}), rows: s.rows.map((r) => ({ id: r.id, title: r.title, ...(r.description ? { description: r.description } : {}) })) })),
    };
  }
  if (!dto.url || !dto.displayText) throw problem(dto.url ? 'displayText' : 'url', 'type cta_url needs url and displayText');
  return { type: 'cta_url', ...base, url: dto.url, displayText: dto.displayText };
}

function replay(message: OutboundMessage, hash: string): Accepted {
  if (message.outbound.requestHash && message.outbound.requestHash !== hash)
    throw AppError.unprocessable(MessageErrorCode.IDEMPOTENCY_KEY_REUSED, 'This Idempotency-Key was used for a different request', { messageId: message.id });
  return { message: publicView(message), replayed: true };
}

function exactlyOneContent(dto: { text?: string; mediaUri?: string; caption?: string; fileName?: string }): void {
  const problem = (field: string, text: string) =>
    AppError.badRequest('VALIDATION_FAILED', `Validation failed: ${text}`, [{ field, messages: [text] }]);
  if ((dto.text === undefined) === (dto.mediaUri === undefined)) throw problem('text', 'exactly one of text and mediaUri is required');
  if (dto.text !== undefined && dto.caption !== undefined) throw problem('caption', 'caption goes with mediaUri, not text');
  if (dto.text !== undefined && dto.fileName !== undefined) throw problem('fileName', 'fileName goes with mediaUri, not text');
}
