import type { CONTACT_TYPES, contactShape } from '../routes/contacts.routes';
import type { InferField } from '../routes/fields';

export type ContactType = (typeof CONTACT_TYPES)[number];

export interface Contact extends InferField<typeof contactShape> {}

/** SDK guide 2.1. */
export interface CreateContactDto {
  clientIdentifier?: string;
  channelId: string;
  /** Individual: phone number with country code. Group: WhatsApp group id (`<digits>-<digits>@g.us`). */
  contactIdentifier: string;
  name?: string;
  type: ContactType;
  /** Only 'whatsapp' today. */
  channelType: 'whatsapp';
  customName?: string;
  /** URL of the profile photo. */
  photo?: string;
  tagIds?: string[];
  /** A platform slug of the channel, exclusive to this contact. */
  platform?: string;
  /** When true the server does not intercept this contact's messages. */
  isIgnored?: boolean;
}

/** SDK guide 2.2. */
export interface UpdateContactDto {
  clientIdentifier?: string;
  contactId: string;
  customName?: string;
  platform?: string;
  /** Replaces the contact's tags. */
  tagIds?: string[];
  contactIdentifier?: string;
  isIgnored?: boolean;
}

/** SDK guide 2.3. */
export interface GetContactDto {
  clientIdentifier?: string;
  contactId: string;
}

/** SDK guide 2.4 (plus `channelId` and `tagMatch`). */
export interface GetContactsDto {
  clientIdentifier?: string;
  /** Default 1. */
  page?: number;
  /** Default 30, at most 100. */
  limit?: number;
  /** By creation time; default 'desc'. */
  order?: 'asc' | 'desc';
  type?: ContactType;
  channelType?: 'whatsapp';
  /** Part of name or customName, any case. */
  name?: string;
  contactIdentifier?: string;
  tagIds?: string[];
  /** With several tagIds: contacts with any of them (default) or with all. */
  tagMatch?: 'any' | 'all';
  channelId?: string;
}

/** SDK guide 2.5. */
/**
 * Deletes the contact with its conversations and messages (beyond the guide). Its tags stay in the
 * account; a second delete is 404 CONTACT_NOT_FOUND.
 */
export interface DeleteContactDto {
  clientIdentifier?: string;
  contactId: string;
}

export interface DeleteContactPlatformDto {
  clientIdentifier?: string;
  contactId: string;
}

/** SDK guide 2.6. */
export interface GetTagsByContactIdDto {
  clientIdentifier?: string;
  contactId: string;
}

/** SDK guide 2.7. */
export interface AddContactTagDto {
  clientIdentifier?: string;
  contactId: string;
  tagIds: string[];
}

/** SDK guide 2.8. */
export interface RemoveContactTagDto {
  clientIdentifier?: string;
  contactId: string;
  tagIds: string[];
}
