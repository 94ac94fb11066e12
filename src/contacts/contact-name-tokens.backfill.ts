import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter } from 'mongoose';
import { StoreAdapter } from '../store/store-adapter';
import { StoreMigrations } from '../store/store-migrations';
import { nameTokens } from './contact-name-tokens';
import { Contact } from './schemas/contact.schema';

export const NAME_TOKENS_MIGRATION = 'contacts.nameTokens.v1';
const BATCH = 500;
const CONCURRENCY = 8;

/**
 * Gives contacts stored before the name-token search their `nameTokens`. Runs once per database,
 * in the background after boot (a large collection takes minutes on the embedded store and the
 * server answers meanwhile; until it is done, name searches miss the contacts not yet tokenised).
 */
@Injectable()
export class ContactNameTokensBackfill implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ContactNameTokensBackfill.name);
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    @InjectModel(Contact.name) private readonly model: Model<Contact>,
    private readonly store: StoreAdapter,
    private readonly migrations: StoreMigrations,
  ) {}

  onApplicationBootstrap(): void {
    this.running = this.migrations
      .runOnce(NAME_TOKENS_MIGRATION, () => this.backfill())
      .then((changed) => {
        if (changed > 0) this.logger.log({ changed }, 'Contact name tokens backfilled');
      })
      .catch((err: unknown) => this.logger.error({ err }, 'Contact name token backfill failed; it runs again at the next boot'));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  /** Tokenises every contact without tokens; returns how many it changed. Idempotent. */
  async backfill(): Promise<number> {
    let changed = 0;
    while (!this.stopping) {
      const docs = await this.model
        .find({ nameTokens: { $exists: false } }, { _id: 1, clientIdentifier: 1, name: 1, customName: 1 })
        .limit(BATCH)
        .lean();
      if (docs.length === 0) break;
      let batchChanged = 0;
      for (let i = 0; i < docs.length; i += CONCURRENCY) {
        const results = await Promise.all(docs.slice(i, i + CONCURRENCY).map((d) => this.tokenise(d)));
        batchChanged += results.filter(Boolean).length;
      }
      changed += batchChanged;
      // Nothing matched its guard (each was changed meanwhile, tokens included): no endless loop.
      if (batchChanged === 0) break;
    }
    if (this.stopping) throw new Error('stopped by shutdown before the end');
    return changed;
  }

  /** Guarded: only while the names it read are still the stored ones and the tokens still missing. */
  private async tokenise(d: Pick<Contact, 'clientIdentifier' | 'name' | 'customName'> & { _id: unknown }): Promise<boolean> {
    // `null` matches a missing field too.
    const guard: QueryFilter<Contact> = { _id: d._id, clientIdentifier: d.clientIdentifier, name: d.name ?? null, customName: d.customName ?? null, nameTokens: { $exists: false } };
    const tokens = nameTokens(d.name ?? undefined, d.customName ?? undefined);
    const res = await this.store.serialize(`contacts:${String(d._id)}`, () => this.model.updateOne(guard, { $set: { nameTokens: tokens } }));
    return res.modifiedCount === 1;
  }
}
