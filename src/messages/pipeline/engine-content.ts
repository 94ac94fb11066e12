import type { OutboundContent } from '../../whatsapp/engine/messaging-engine.port';
import type { StoredMedia } from '../../media/media.store';
import type { OutboundMessage } from '../message.types';

/** Thrown when a stored message cannot be turned into something to send (never retried). */
export class UnsendableError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnsendableError';
  }
}

/** The engine content for a stored outbound message; `media` is its stored bytes when it has any. */
export function toEngineContent(message: OutboundMessage, media: StoredMedia | undefined): OutboundContent {
  const payload = () => {
    if (!media) throw new UnsendableError('MEDIA_MISSING', `media ${message.media?.mediaId ?? '?'} of message ${message.id} is not stored`);
    return { mimetype: media.mimetype, dataBase64: media.data.toString('base64'), filename: message.media?.filename ?? media.filename };
  };
  switch (message.kind) {
    case 'text':
      return { kind: 'text', text: message.body ?? '', ...(message.outbound.linkPreview ? { previewUrl: true } : {}) };
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
      return {
        kind: 'media',
        media: payload(),
        caption: message.caption,
        asDocument: message.kind === 'document' || message.outbound.asDocument === true,
        asVoice: message.media?.voice === true,
      };
    case 'sticker':
      return { kind: 'sticker', media: payload() };
    case 'contacts':
      return { kind: 'contacts', vcards: message.vcards ?? [] };
    case 'location': {
      const loc = message.location;
      if (!loc) throw new UnsendableError('ENGINE_ERROR', `location message ${message.id} has no coordinates`);
      return { kind: 'location', latitude: loc.latitude, longitude: loc.longitude, name: loc.name, address: loc.address, url: loc.url };
    }
    case 'interactive':
      if (!message.interactive) throw new UnsendableError('ENGINE_ERROR', `interactive message ${message.id} has no content`);
      return { kind: 'interactive', interactive: message.interactive };
    case 'template':
      if (!message.template) throw new UnsendableError('ENGINE_ERROR', `template message ${message.id} has no template`);
      return { kind: 'template', template: message.template };
    default:
      throw new UnsendableError('ENGINE_ERROR', `messages of kind ${message.kind} cannot be sent`);
  }
}
