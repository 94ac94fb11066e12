import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { isUniqueViolation } from './unique-violation';

const COLLECTION = 'store_migrations';

/**
 * Data migrations that run once per database: a marker document per finished migration, so a
 * later boot does not scan again (on the embedded store a scan for a missing field reads every
 * document). Several processes may run one at the same time: migrations must be idempotent.
 */
@Injectable()
export class StoreMigrations {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  private get markers() {
    return this.connection.collection<{ _id: string; finishedAt: Date; changed: number }>(COLLECTION);
  }

  async isDone(name: string): Promise<boolean> {
    return (await this.markers.findOne({ _id: name })) !== null;
  }

  /** Runs `migrate` unless it finished before; marks it finished. Returns what it changed (0 when skipped). */
  async runOnce(name: string, migrate: () => Promise<number>): Promise<number> {
    if (await this.isDone(name)) return 0;
    const changed = await migrate();
    try {
      await this.markers.updateOne({ _id: name }, { $set: { finishedAt: new Date(), changed } }, { upsert: true });
    } catch (err) {
      // Two processes finishing together both upsert the marker: one insert wins, the other gets
      // E11000 (FerretDB always; MongoDB retries such upserts itself). The marker is there either way.
      if (!isUniqueViolation(err)) throw err;
    }
    return changed;
  }

  /** Forgets that a migration ran (tests; a re-run after restoring old data). */
  async forget(name: string): Promise<void> {
    await this.markers.deleteOne({ _id: name });
  }
}
