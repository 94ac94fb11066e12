import type { ContactType } from './contact-identifier';

export interface ContactView {
  id: string;
  clientIdentifier: string;
  channelId: string;
  contactIdentifier: string;
  name?: string;
  customName?: string;
  type: ContactType;
  channelType: 'whatsapp';
  photo?: string;
  tagIds: string[];
  platform?: string;
  isIgnored: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ContactFilter {
  channelId?: string;
  type?: ContactType;
  channelType?: 'whatsapp';
  /** Words or word beginnings of name or customName, case- and accent-folded (contact-name-tokens.ts). */
  name?: string;
  /** Already normalised. */
  contactIdentifier?: string;
  tagIds?: string[];
  /** `any` (default): at least one of tagIds; `all`: every one. */
  tagMatch?: 'any' | 'all';
}
