import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import type { EngineContext } from '../whatsapp/engine/inbound-sink.port';
import type { InboundEngineEvent } from '../whatsapp/engine/messaging-engine.port';
import { InboundJournalEntry } from './schemas/inbound-journal.schema';

export interface JournalEntry {
  id: string;
  ctx: EngineContext;
  event: InboundEngineEvent;
  receivedAt: Date;
}

type Doc = InboundJournalEntry & { _id: Types.ObjectId };

const toEntry = (d: Doc): JournalEntry => ({
  id: d._id.toHexString(),
  ctx: { clientIdentifier: d.clientIdentifier, channelId: d.channelId },
  event: d.event as unknown as InboundEngineEvent,
  receivedAt: d.receivedAt,
});

/** The inbound_journal collection. System-level: it serves every account's sessions. */
@Injectable()
export class InboundJournalRepository {
  constructor(@InjectModel(InboundJournalEntry.name) private readonly model: Model<InboundJournalEntry>) {}

  /** A new entry, not yet written (its id is fixed here, so a retried write cannot duplicate it). */
  entry(ctx: EngineContext, event: InboundEngineEvent, receivedAt = new Date()): JournalEntry {
    return { id: new Types.ObjectId().toHexString(), ctx, event, receivedAt };
  }

  /**
   * Writes entries in one round trip (the journal's group commit). Safe to retry with the same
   * entries: an entry already written is a duplicate _id, which counts as written.
   */
  async appendMany(entries: JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const docs = entries.map((e) => ({
      _id: new Types.ObjectId(e.id),
      clientIdentifier: e.ctx.clientIdentifier,
      channelId: e.ctx.channelId,
      // Plain JSON (no undefined, which BSON would turn into null): replays see what live handling saw.
      event: JSON.parse(JSON.stringify(e.event)) as Record<string, unknown>,
      receivedAt: e.receivedAt,
    }));
    try {
      await this.model.collection.insertMany(docs, { ordered: false });
    } catch (err) {
      const writeErrors = (err as { writeErrors?: { code?: number }[] | { code?: number } }).writeErrors;
      const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
      if (list.length === 0 || list.some((w) => w.code !== 11000)) throw err;
    }
  }

  async append(ctx: EngineContext, event: InboundEngineEvent, receivedAt = new Date()): Promise<JournalEntry> {
    const entry = this.entry(ctx, event, receivedAt);
    await this.appendMany([entry]);
    return entry;
  }

  async remove(id: string): Promise<void> {
    await this.model.deleteOne({ _id: new Types.ObjectId(id) });
  }

  /** Entries received before `olderThan` and not yet applied, in arrival order. */
  async findStale(olderThan: Date, limit: number): Promise<JournalEntry[]> {
    const docs = await this.model.find({ receivedAt: { $lt: olderThan } }).sort({ _id: 1 }).limit(limit).lean<Doc[]>();
    return docs.map(toEntry);
  }
}
