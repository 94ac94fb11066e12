import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import type { Connection, Model } from 'mongoose';
import { StoreAdapter } from '../store/store-adapter';
import { StoreMigrations } from '../store/store-migrations';
import { WebhookEvent } from './schemas/webhook-event.schema';

export const SINGLE_COLLECTION_MIGRATION = 'webhooks.singleCollection.v1';
/** Where open events lived before webhook_events held every event. */
export const LEGACY_OUTBOX_COLLECTION = 'webhook_outbox';
const BATCH = 500;

/**
 * Moves the open events a server before the single collection left in `webhook_outbox` into
 * `webhook_events`, once per database (StoreMigrations), before the worker starts (onModuleInit
 * runs before every module's bootstrap), so their jobs find them where they look now.
 *
 * Each batch is inserted first and deleted from the old collection after, so an event is always
 * in one of the two. An event already in `webhook_events` is left as it is there: the old code
 * wrote a finished event into the log before deleting its outbox row, so the log's copy is the
 * newer one, and a process booting beside this one may have moved it (and even delivered it)
 * already. Idempotent: processes booting at once may run it together.
 */
@Injectable()
export class WebhookOutboxMigration implements OnModuleInit {
  private readonly logger = new Logger(WebhookOutboxMigration.name);

  constructor(
    @InjectConnection() private readonly connection: Connection,
    @InjectModel(WebhookEvent.name) private readonly model: Model<WebhookEvent>,
    private readonly store: StoreAdapter,
    private readonly migrations: StoreMigrations,
  ) {}

  async onModuleInit(): Promise<void> {
    const moved = await this.migrations.runOnce(SINGLE_COLLECTION_MIGRATION, () => this.moveLegacyOutbox());
    if (moved > 0) this.logger.log({ moved }, `Moved open webhook events from ${LEGACY_OUTBOX_COLLECTION} into webhook_events`);
  }

  /** Returns how many events it inserted into webhook_events (those found there already are not counted). */
  async moveLegacyOutbox(): Promise<number> {
    const legacy = this.connection.collection(LEGACY_OUTBOX_COLLECTION);
    let moved = 0;
    for (;;) {
      // No filter: the one query whose limit the embedded store hands to SQL.
      const docs = await legacy.find({}).limit(BATCH).toArray();
      if (docs.length === 0) return moved;
      const duplicates = await this.store.insertManyReportingDuplicates(this.model.collection, docs);
      moved += docs.length - duplicates.size;
      for (const d of docs) await this.store.retryTransient(() => legacy.deleteOne({ _id: d._id }));
    }
  }
}
