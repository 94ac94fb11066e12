import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { StoreAdapter } from '../store/store-adapter';
import { ChatSequence } from './schemas/webhook-event.schema';

/** Per-chat counters behind `chat.seq` in payloads. */
@Injectable()
export class ChatSequencesRepository {
  constructor(
    @InjectModel(ChatSequence.name) private readonly model: Model<ChatSequence>,
    private readonly store: StoreAdapter,
  ) {}

  /**
   * Reserves `count` numbers of a counter and returns the highest. An atomic $inc upsert (no
   * projection: FerretDB refuses findOneAndUpdate with one), serialised per counter (a new
   * owner of a channel may reserve while the old one still does); two first upserts racing on
   * MongoDB can collide on _id, and the loser simply increments the row the winner created.
   */
  async reserve(key: string, count: number): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        const doc = await this.store.serialize(`webhook_chat_sequences:${key}`, () =>
          this.model.findOneAndUpdate({ _id: key }, { $inc: { seq: count } }, { upsert: true, returnDocument: 'after' }).lean(),
        );
        return doc!.seq;
      } catch (err) {
        if (!this.store.isUniqueViolation(err) || attempt >= 2) throw err;
      }
    }
  }
}
