import { INestApplicationContext } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { StoreAdapter } from '../../src/store/store-adapter';
import { uniqueDatabase } from '../harness/test-app';
import { startStoreApp } from './store-apps';

const PER_APP = 50;

/**
 * Two servers sharing one store: each has its own connections and adapter (so its own in-process
 * mutexes), and both write the same documents at once. Guarded writes through the adapter must
 * lose nothing across them; the in-process-only lock, under the same token, shows why Redis is in it.
 */
describe('StoreAdapter across servers sharing one store', () => {
  const database = uniqueDatabase('storexp');
  const apps: INestApplicationContext[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  async function pair(inProcessLockOnly: boolean): Promise<Array<{ store: StoreAdapter; connection: Connection }>> {
    const started = [await startStoreApp(database, { inProcessLockOnly }), await startStoreApp(database, { inProcessLockOnly })];
    apps.push(...started);
    return started.map((app) => ({ store: app.get(StoreAdapter), connection: app.get<Connection>(getConnectionToken()) }));
  }

  /** 2 x PER_APP increments and 2 x PER_APP distinct $addToSet values on one document, all at once. */
  async function race(servers: Array<{ store: StoreAdapter; connection: Connection }>, id: string): Promise<{ n: number; members: number }> {
    const collection = (i: number) => servers[i].connection.collection<{ _id: string; n: number; members: string[] }>('store_race');
    await collection(0).insertOne({ _id: id, n: 0, members: [] });
    await Promise.all(
      servers.flatMap((server, i) =>
        Array.from({ length: PER_APP }, (_, k) =>
          Promise.all([
            server.store.serialize(`store_race:${id}`, () => collection(i).updateOne({ _id: id }, { $inc: { n: 1 } })),
            server.store.serialize(`store_race:${id}`, () => collection(i).updateOne({ _id: id }, { $addToSet: { members: `${i}-${k}` } })),
          ]),
        ),
      ),
    );
    const doc = await collection(0).findOne({ _id: id });
    return { n: doc!.n, members: doc!.members.length };
  }

  it('loses no increment and no $addToSet value with the Redis lock', async () => {
    const servers = await pair(false);
    expect(servers[0].store).not.toBe(servers[1].store);
    expect(await race(servers, 'with-redis-lock')).toEqual({ n: 2 * PER_APP, members: 2 * PER_APP });
  });

  it('loses writes with an in-process lock alone on FerretDB (each server only queues its own)', async () => {
    const servers = await pair(true);
    const result = await race(servers, 'in-process-only');
    if (servers[0].store.kind === 'mongodb') {
      // MongoDB's own updates are atomic: nothing to lose whatever the lock.
      expect(result).toEqual({ n: 2 * PER_APP, members: 2 * PER_APP });
    } else {
      expect(result.n + result.members).toBeLessThan(4 * PER_APP);
    }
  });
});
