import type { ContactView } from '../contacts/contact.types';
import type { MessageView } from '../messages/message.types';

/**
 * The `data` of each webhook type (payload version 1). Built from what is stored, so an event
 * recreated after a crash carries the same content as the one built live. Documented in
 * docs/webhooks.md; additions are compatible, renames and removals need a new version.
 */

export interface ContactData {
  id: string;
  contactIdentifier: string;
  type: 'individual' | 'group';
  name?: string;
  customName?: string;
  tagIds: string[];
  platform?: string;
}

export interface MediaData {
  /** Signed link to the stored file; expires at `urlExpiresAt`. Absent when the download failed. */
  url?: string;
  urlExpiresAt?: string;
  mimetype: string;
  filename?: string;
  size?: number;
  sha256?: string;
  voice?: boolean;
  /** MEDIA_DOWNLOAD_FAILED when WhatsApp would not give us the file. */
  error?: string;
}

export interface MessageData {
  id: string;
  waMessageId?: string;
  /** waMessageId under its provider-neutral name. */
  providerMessageId?: string;
  chatId: string;
  isGroup: boolean;
  /** true: sent from the linked phone itself (not through this API). */
  fromMe: boolean;
  sender: { id?: string; name?: string };
  timestamp: string;
  kind: MessageView['kind'];
  body?: string;
  caption?: string;
  quotedWaMessageId?: string;
  isForwarded?: boolean;
  location?: MessageView['location'];
  vcards?: string[];
  media?: MediaData;
  /** WhatsApp ids mentioned in the message (`5521999999999@c.us`); absent when none. */
  mentions?: string[];
  /** Official API: the reply button or list row the customer chose (`body` is its title). */
  interactiveReply?: MessageView['interactiveReply'];
}

export function contactData(c: ContactView): ContactData {
  return {
    id: c.id,
    contactIdentifier: c.contactIdentifier,
    type: c.type,
    ...(c.name ? { name: c.name } : {}),
    ...(c.customName ? { customName: c.customName } : {}),
    tagIds: c.tagIds ?? [],
    ...(c.platform ? { platform: c.platform } : {}),
  };
}

export type MediaLinker = (mediaId: string) => { url: string; expiresAt: Date };

export function messageData(m: MessageView, link: MediaLinker): MessageData {
  let media: MediaData | undefined;
  if (m.media) {
    const signed = m.media.mediaId ? link(m.media.mediaId) : undefined;
    media = {
      ...(signed ? { url: signed.url, urlExpiresAt: signed.expiresAt.toISOString() } : { error: 'MEDIA_DOWNLOAD_FAILED' }),
      mimetype: m.media.mimetype,
      ...(m.media.filename ? { filename: m.media.filename } : {}),
      ...(m.media.size !== undefined ? { size: m.media.size } : {}),
      ...(m.media.sha256 ? { sha256: m.media.sha256 } : {}),
      ...(m.media.voice ? { voice: true } : {}),
    };
  }
  return {
    id: m.id,
    ...(m.waMessageId ? { waMessageId: m.waMessageId, providerMessageId: m.waMessageId } : {}),
    chatId: m.chatId,
    isGroup: m.isGroup,
    fromMe: m.fromMe,
    sender: { ...(m.senderId ? { id: m.senderId } : {}), ...(m.senderName ? { name: m.senderName } : {}) },
    timestamp: new Date(m.timestamp).toISOString(),
    kind: m.kind,
    ...(m.body !== undefined ? { body: m.body } : {}),
    ...(m.caption !== undefined ? { caption: m.caption } : {}),
    ...(m.quotedWaMessageId ? { quotedWaMessageId: m.quotedWaMessageId } : {}),
    ...(m.isForwarded ? { isForwarded: true } : {}),
    ...(m.location ? { location: m.location } : {}),
    ...(m.vcards?.length ? { vcards: m.vcards } : {}),
    ...(media ? { media } : {}),
    ...(m.mentions?.length ? { mentions: m.mentions } : {}),
    ...(m.interactiveReply ? { interactiveReply: m.interactiveReply } : {}),
  };
}

/** `message.received`: a message arrived (or was sent from the linked phone: `message.fromMe`). */
export function messageReceivedData(m: MessageView, contact: ContactView | undefined, link: MediaLinker): Record<string, unknown> {
  return {
    message: messageData(m, link),
    ...(contact ? { contact: contactData(contact) } : {}),
    ...(m.conversationId ? { conversationId: m.conversationId } : {}),
  };
}
