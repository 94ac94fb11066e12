import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { StoreAdapter } from '../store/store-adapter';
import { StoreMigrations } from '../store/store-migrations';
import { waKey } from './messages.repository';
import { Message } from './schemas/message.schema';

export const MESSAGE_KEYS_MIGRATION = 'messages.waKeyFromMessageKeys.v1';
/** The side collection earlier versions kept (`_id` = channelId:waMessageId or idem:account:key → messageId). */
export const LEGACY_KEYS_COLLECTION = 'message_keys';
const BATCH = 500;

interface LegacyKey {
  _id: string;
  messageId: string;
  clientIdentifier: string;
}
type Candidate = Pick<Message, 'clientIdentifier' | 'channelId' | 'waMessageId' | 'outbound'> & { _id: Types.ObjectId };

/**
 * Earlier versions looked WhatsApp ids up in `message_keys` and wrote the key before the message's
 * own `waKey`. A crash between the two left one of our sends known by the key only: this gives such
 * a message its `waKey` (and `waMessageId`), once per database, in the background after boot.
 *
 * Only our own sends can be in that state (inbound messages are inserted with their `waKey`), and
 * idempotency keys never (the message was created with its `idemKey`). A key whose WhatsApp id a
 * retry dropped (it is in `outbound.failures`) is stale and skipped. `message_keys` is left in
 * place, unread: a server of the earlier version may still run beside this one during an upgrade.
 */
@Injectable()
export class MessageKeysMigration implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MessageKeysMigration.name);
  private running?: Promise<void>;

  constructor(
    @InjectModel(Message.name) private readonly model: Model<Message>,
    private readonly store: StoreAdapter,
    private readonly migrations: StoreMigrations,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.migrations
      .runOnce(MESSAGE_KEYS_MIGRATION, () => this.migrate())
      .then((changed) => {
        if (changed > 0) this.logger.log({ changed }, 'Messages linked to their WhatsApp id from message_keys');
      })
      .catch((err: unknown) => this.logger.error({ err }, 'message_keys migration failed; it runs again at the next boot'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.running;
  }

  /** Resolves when the boot's run has ended (tests). */
  finished(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Returns how many messages it linked. Idempotent: several processes may run it at once. */
  async migrate(): Promise<number> {
    const keys = this.model.db.collection<LegacyKey>(LEGACY_KEYS_COLLECTION);
    if ((await keys.estimatedDocumentCount()) === 0) return 0;
    // Our sends without a waKey: queued, failed before WhatsApp answered, or cut off while linking.
    const candidates = await this.model
      .find({ fromMe: true, waKey: { $exists: false } }, { _id: 1, clientIdentifier: 1, channelId: 1, waMessageId: 1, outbound: 1 })
      .lean<Candidate[]>();
    let changed = 0;
    for (let i = 0; i < candidates.length; i += BATCH) {
      const batch = new Map(candidates.slice(i, i + BATCH).map((c) => [String(c._id), c]));
      // One pass over message_keys per batch ($in): a one-time migration, not a hot path.
      const held = await keys.find({ messageId: { $in: [...batch.keys()] } }).toArray();
      for (const key of held) {
        const message = batch.get(key.messageId);
        if (message && (await this.link(message, key))) changed++;
      }
    }
    return changed;
  }

  private async link(message: Candidate, key: LegacyKey): Promise<boolean> {
    const prefix = `${message.channelId}:`;
    if (key.clientIdentifier !== message.clientIdentifier || !key._id.startsWith(prefix)) return false;
    const wa = key._id.slice(prefix.length);
    if (message.waMessageId && message.waMessageId !== wa) return false;
    if (message.outbound?.failures?.some((f) => f.waMessageId === wa)) return false;
    const id = String(message._id);
    const guard = { _id: message._id, clientIdentifier: message.clientIdentifier, waKey: { $exists: false } };
    try {
      const res = await this.store.serialize(`messages:${id}`, () =>
        this.store.uniqueUpdate({
          key: `messages:${message.clientIdentifier}:${waKey(message.channelId, wa)}`,
          taken: async () => (await this.model.findOne({ waKey: waKey(message.channelId, wa) }, { _id: 1 }).lean()) !== null,
          write: () => this.model.updateOne(guard, { $set: { waMessageId: wa, waKey: waKey(message.channelId, wa) } }),
        }),
      );
      return res.modifiedCount === 1;
    } catch (err) {
      // Another message holds the id now (stored after the crash): it stays the one lookups find; ours stays unlinked.
      if (this.store.isUniqueViolation(err)) return false;
      throw err;
    }
  }
}
