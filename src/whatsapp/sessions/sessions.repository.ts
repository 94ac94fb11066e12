import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { SessionState } from './session-state';
import { WhatsappSession } from './schemas/whatsapp-session.schema';

export interface SessionRecord {
  channelId: string;
  clientIdentifier: string;
  state: SessionState;
  reason?: string;
  qr?: string;
  qrExpiresAt?: Date;
  me?: string;
  pushname?: string;
  linked: boolean;
  autoStart: boolean;
  owner?: string;
  lastReadyAt?: Date;
  updatedAt: Date;
}

/** What the owner of a session writes on every change; undefined fields are cleared. */
export interface SessionWrite {
  state: SessionState;
  reason?: string;
  qr?: string;
  qrExpiresAt?: Date;
  me?: string;
  pushname?: string;
  linked?: boolean;
  autoStart?: boolean;
  owner?: string;
  lastReadyAt?: Date;
}

type Doc = WhatsappSession & { updatedAt?: Date };

function toRecord(doc: Doc): SessionRecord {
  return {
    channelId: doc.channelId,
    clientIdentifier: doc.clientIdentifier,
    state: doc.state,
    reason: doc.reason ?? undefined,
    qr: doc.qr ?? undefined,
    qrExpiresAt: doc.qrExpiresAt ?? undefined,
    me: doc.me ?? undefined,
    pushname: doc.pushname ?? undefined,
    linked: doc.linked,
    autoStart: doc.autoStart,
    owner: doc.owner ?? undefined,
    lastReadyAt: doc.lastReadyAt ?? undefined,
    updatedAt: doc.updatedAt ?? new Date(0),
  };
}

const CLEARABLE = ['reason', 'qr', 'qrExpiresAt'] as const;

/** The whatsapp_sessions collection: one document per WhatsApp Web channel. */
@Injectable()
export class SessionsRepository {
  constructor(@InjectModel(WhatsappSession.name) private readonly model: Model<WhatsappSession>) {}

  async find(clientIdentifier: string, channelId: string): Promise<SessionRecord | undefined> {
    const doc = await this.model.findOne({ clientIdentifier, channelId }).lean<Doc>();
    return doc ? toRecord(doc) : undefined;
  }

  /** Upserts the state of a session (written by its owner only). */
  async write(clientIdentifier: string, channelId: string, change: SessionWrite): Promise<void> {
    const $set: Record<string, unknown> = {};
    const $unset: Record<string, ''> = {};
    for (const [key, value] of Object.entries(change)) if (value !== undefined) $set[key] = value;
    for (const key of CLEARABLE) if (change[key] === undefined) $unset[key] = '';
    await this.model.updateOne(
      { clientIdentifier, channelId },
      {
        $set,
        ...(Object.keys($unset).length ? { $unset } : {}),
        $setOnInsert: { clientIdentifier, channelId, ...('linked' in $set ? {} : { linked: false }), ...('autoStart' in $set ? {} : { autoStart: false }) },
      },
      { upsert: true },
    );
  }

  async remove(clientIdentifier: string, channelId: string): Promise<void> {
    await this.model.deleteOne({ clientIdentifier, channelId });
  }

  /** System-level, all accounts: linked sessions that should run, for restoring at boot. */
  async listRestorable(): Promise<SessionRecord[]> {
    const docs = await this.model.find({ linked: true, autoStart: true }).sort({ updatedAt: 1 }).lean<Doc[]>();
    return docs.map(toRecord);
  }
}
