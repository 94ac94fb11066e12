import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { QueryFilter, Model, Types } from 'mongoose';
import type { MessageService } from './channel.types';
import { Channel, PlatformEndpoint } from './schemas/channel.schema';

/** A stored channel, secrets included: never leaves the channels module as is. */
export interface ChannelRecord extends Omit<Channel, 'platforms'> {
  id: string;
  platforms: PlatformEndpoint[];
}

export type NewChannel = Omit<Channel, 'createdAt' | 'updatedAt' | 'version' | 'platformConfigId'>;

export interface ChannelChange {
  set?: Partial<Pick<Channel, 'platforms' | 'startingPlatform' | 'description'>> & { 'provider.companyId'?: string };
  unset?: Array<'description'>;
}

function toRecord(doc: Channel & { _id: unknown }): ChannelRecord {
  const { _id, ...rest } = doc as Channel & { _id: unknown; __v?: unknown };
  delete (rest as { __v?: unknown }).__v;
  return { ...rest, id: String(_id), platforms: rest.platforms ?? [] };
}

/** The channels collection. Every account-scoped method takes clientIdentifier first and filters by it. */
@Injectable()
export class ChannelsRepository {
  constructor(@InjectModel(Channel.name) private readonly model: Model<Channel>) {}

  private scoped(clientIdentifier: string, filter: QueryFilter<Channel> = {}): QueryFilter<Channel> {
    return { ...filter, clientIdentifier };
  }

  /** Throws the driver's unique violation when the account already has this number on this service. */
  async insert(channel: NewChannel): Promise<ChannelRecord> {
    const doc = await this.model.create({ ...channel, platformConfigId: new Types.ObjectId().toHexString(), version: 0 });
    return toRecord(doc.toObject());
  }

  async findById(clientIdentifier: string, id: string): Promise<ChannelRecord | undefined> {
    const doc = await this.model.findOne(this.scoped(clientIdentifier, { _id: id })).lean();
    return doc ? toRecord(doc) : undefined;
  }

  /** System-level (no account): provider webhooks carry the channel id in their URL. */
  async findAnyById(id: string): Promise<ChannelRecord | undefined> {
    if (!Types.ObjectId.isValid(id)) return undefined;
    const doc = await this.model.findOne({ _id: id }).lean();
    return doc ? toRecord(doc) : undefined;
  }

  async findByPlatformConfigId(clientIdentifier: string, platformConfigId: string): Promise<ChannelRecord | undefined> {
    const doc = await this.model.findOne(this.scoped(clientIdentifier, { platformConfigId })).lean();
    return doc ? toRecord(doc) : undefined;
  }

  async listByAccount(clientIdentifier: string): Promise<ChannelRecord[]> {
    const docs = await this.model.find(this.scoped(clientIdentifier)).sort({ _id: 1 }).lean();
    return docs.map(toRecord);
  }

  /** System-level (all accounts): restoring sessions at boot. */
  async listByService(service: MessageService): Promise<ChannelRecord[]> {
    const docs = await this.model.find({ service }).sort({ _id: 1 }).lean();
    return docs.map(toRecord);
  }

  /**
   * Applies a change only if nobody wrote the channel since it was read at `version` (a guarded
   * findOneAndUpdate; no projection, which FerretDB refuses there). Returns the channel after the
   * change, or undefined on a lost race (the caller re-reads and decides again).
   */
  async applyIfVersion(clientIdentifier: string, id: string, version: number, change: ChannelChange): Promise<ChannelRecord | undefined> {
    const update: Record<string, unknown> = { $inc: { version: 1 } };
    if (change.set && Object.keys(change.set).length > 0) update.$set = change.set;
    if (change.unset?.length) update.$unset = Object.fromEntries(change.unset.map((k) => [k, '']));
    const doc = await this.model.findOneAndUpdate(this.scoped(clientIdentifier, { _id: id, version }), update, { returnDocument: 'after' }).lean();
    return doc ? toRecord(doc) : undefined;
  }

  async delete(clientIdentifier: string, id: string): Promise<boolean> {
    const res = await this.model.deleteOne(this.scoped(clientIdentifier, { _id: id }));
    return res.deletedCount === 1;
  }
}
