import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { SweepScheduler } from '../common/scheduling/sweep-scheduler';
import { Connections } from './connections';
import { ensureGinIndexes, ginFieldsByCollection } from './embedded/gin-indexes';

/** How often the indexes are checked again (a collection dropped and made again comes back without them). */
const RECHECK_MS = 60_000;
const NAMESPACE_EXISTS = 48;

/**
 * On a FerretDB over PostgreSQL that we know of (the embedded store, or FERRETDB_POSTGRESQL_URL),
 * gives every field with a Mongoose index declaration its GIN index, after the connection opened
 * and every model's collection exists. Elsewhere (MongoDB, an unknown FerretDB) it does nothing.
 */
@Injectable()
export class GinIndexService implements OnApplicationBootstrap {
  private readonly logger = new Logger(GinIndexService.name);
  private running?: Promise<void>;

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly connections: Connections,
    private readonly sweeps: SweepScheduler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.connections.ferretdbPostgresqlUrl) return;
    await this.ensure();
    this.sweeps.every('gin-index-recheck', RECHECK_MS, () => this.ensure(), { logger: this.logger });
  }

  /** Creates what is missing; safe to call any time, from any number of processes. */
  ensure(): Promise<void> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<void> {
    const url = this.connections.ferretdbPostgresqlUrl;
    if (!url) return;
    // FerretDB makes a table on a collection's first write: make them now, so they can be indexed.
    await Promise.all(
      Object.values(this.connection.models).map(async (model) => {
        // An index FerretDB refuses must not stop the boot (it did not before); the table still gets its GINs.
        await model.init().catch((err: unknown) => this.logger.warn({ err }, `indexes of ${model.modelName}`));
        await model.createCollection().catch((err: { code?: number }) => {
          if (err.code !== NAMESPACE_EXISTS) throw err;
        });
      }),
    );
    const created = await ensureGinIndexes(url, this.connection.db!.databaseName, ginFieldsByCollection(this.connection));
    if (created.length > 0) this.logger.log(`created ${created.length} GIN indexes in ${this.connection.db!.databaseName}`);
  }
}
