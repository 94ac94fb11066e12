import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { ApiKey } from './schemas/api-key.schema';

export interface ApiKeyRecord {
  id: string;
  prefix: string;
  clientIdentifier: string;
  name?: string;
  revokedAt?: Date;
  createdAt?: Date;
}

function toRecord(doc: ApiKey & { _id: unknown }): ApiKeyRecord {
  return {
    id: String(doc._id),
    prefix: doc.prefix,
    clientIdentifier: doc.clientIdentifier,
    name: doc.name,
    revokedAt: doc.revokedAt,
    createdAt: doc.createdAt,
  };
}

/** The api_keys collection. Keys are global (looked up by hash before an account is known). */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectModel(ApiKey.name) private readonly model: Model<ApiKey>) {}

  async insert(key: Omit<ApiKey, 'createdAt' | 'revokedAt'>): Promise<ApiKeyRecord> {
    const doc = await this.model.create(key);
    return toRecord(doc.toObject());
  }

  async findActiveByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const doc = await this.model.findOne({ keyHash, revokedAt: { $exists: false } }).lean();
    return doc ? toRecord(doc) : undefined;
  }

  async findActiveById(id: string): Promise<ApiKeyRecord | undefined> {
    const doc = await this.model.findOne({ _id: id, revokedAt: { $exists: false } }).lean();
    return doc ? toRecord(doc) : undefined;
  }

  async listByAccount(clientIdentifier: string): Promise<ApiKeyRecord[]> {
    const docs = await this.model.find({ clientIdentifier }).sort({ _id: 1 }).lean();
    return docs.map(toRecord);
  }

  async revoke(id: string): Promise<ApiKeyRecord | undefined> {
    await this.model.updateOne({ _id: id, revokedAt: { $exists: false } }, { $set: { revokedAt: new Date() } });
    const doc = await this.model.findById(id).lean();
    return doc ? toRecord(doc) : undefined;
  }
}
