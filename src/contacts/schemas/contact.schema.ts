import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { CONTACT_TYPES, type ContactType } from '../contact-identifier';

export const CHANNEL_TYPES = ['whatsapp'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** A person or group an account talks to on one channel (SDK guide 2). */
@Schema({ collection: 'contacts', timestamps: true })
export class Contact {
  @Prop({ required: true })
  clientIdentifier!: string;

  /** Stored as the hex string, like tagIds, so filters and $pull compare exact strings. */
  @Prop({ required: true })
  channelId!: string;

  /** Normalised (see contact-identifier.ts); unique per channel. */
  @Prop({ required: true })
  contactIdentifier!: string;

  @Prop()
  name?: string;

  @Prop()
  customName?: string;

  @Prop({ type: String, required: true, enum: CONTACT_TYPES })
  type!: ContactType;

  @Prop({ type: String, required: true, enum: CHANNEL_TYPES, default: 'whatsapp' })
  channelType!: ChannelType;

  @Prop()
  photo?: string;

  @Prop({ type: [String], default: [] })
  tagIds!: string[];

  /** A platform slug of the channel this contact's events go to, instead of the starting platform. */
  @Prop()
  platform?: string;

  /**
   * Every prefix of every folded word of name and customName (contact-name-tokens.ts): the name
   * search asks for them by equality, which an index serves on both stores.
   */
  @Prop({ type: [String], default: undefined })
  nameTokens?: string[];

  /** When true the inbound pipeline does not intercept this contact's messages. */
  @Prop({ required: true, default: false })
  isIgnored!: boolean;

  createdAt!: Date;
  updatedAt!: Date;
}

export const ContactSchema = SchemaFactory.createForClass(Contact);
// One contact per identifier in a channel: the index decides racing inserts (findOrCreate, create).
ContactSchema.index({ clientIdentifier: 1, channelId: 1, contactIdentifier: 1 }, { unique: true });
// Every field the code filters on by equality leads an index after the account (the embedded
// store derives its GIN indexes from these declarations); lists are in _id order.
ContactSchema.index({ clientIdentifier: 1, _id: 1 });
ContactSchema.index({ clientIdentifier: 1, channelId: 1, _id: 1 });
ContactSchema.index({ clientIdentifier: 1, tagIds: 1, _id: 1 });
ContactSchema.index({ clientIdentifier: 1, nameTokens: 1, _id: 1 });
ContactSchema.index({ clientIdentifier: 1, contactIdentifier: 1 });
ContactSchema.index({ clientIdentifier: 1, channelId: 1, platform: 1 });
