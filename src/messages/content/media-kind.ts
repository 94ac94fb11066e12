import { essence } from '../../media/mime-sniffer';

export type MediaKind = 'image' | 'video' | 'audio' | 'document';

/**
 * The WhatsApp message kind for a (sniffed) content type. WhatsApp shows inline only what its apps
 * play: JPEG/PNG/WebP/GIF images, MP4/3GP video, and most audio. Anything else goes as a document,
 * so the customer still gets the file with its name.
 */
export function mediaKindFor(mimetype: string): { kind: MediaKind; voice: boolean } {
  const type = essence(mimetype);
  if (['image/jpeg', 'image/png', 'image/webp', 'image/gif'].includes(type)) return { kind: 'image', voice: false };
  if (['video/mp4', 'video/3gpp'].includes(type)) return { kind: 'video', voice: false };
  // Ogg/Opus is what WhatsApp records voice notes in: it plays as one (push-to-talk).
  if (type === 'audio/ogg' && /codecs=opus/i.test(mimetype)) return { kind: 'audio', voice: true };
  if (type.startsWith('audio/')) return { kind: 'audio', voice: false };
  return { kind: 'document', voice: false };
}
