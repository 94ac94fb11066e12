import { INestApplicationContext } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { FerretDbStoreAdapter } from '../src/store/ferretdb-store.adapter';
import { LocalStoreLock } from '../src/store/local-store-lock';
import { StoreAdapter } from '../src/store/store-adapter';
import { withWriteTimeout } from '../src/store/write-timeout';
import { uniqueDatabase } from '../test/harness/test-app';
import { startStoreApp } from '../test/store/store-apps';
import { percentile, round, timeMs, writeResult } from './stats';

/**
 * What the adapter's compensation costs per guarded update (a findOneAndUpdate with `$inc`): the
 * write alone, under the in-process lock only, and under the production lock (in-process mutex +
 * Redis lock), one writer at a time; then 2 servers x 25 writers on one document, where the lock
 * decides whether updates are lost. Numbers in ms; they depend on the store and the machine.
 */
const SAMPLES = Number(process.env.BENCH_GUARDED_SAMPLES ?? 400);
const CONTENDED = { servers: 2, writersPerServer: 25, writesPerWriter: 8 };

type Counter = { _id: string; n: number };

function stats(samples: number[]) {
  return { samples: samples.length, p50: round(percentile(samples, 50)), p99: round(percentile(samples, 99)) };
}

describe('guarded update benchmark', () => {
  const apps: INestApplicationContext[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('measures the cost of serialize per guarded update', async () => {
    const database = uniqueDatabase('benchguard');
    for (let i = 0; i < CONTENDED.servers; i++) apps.push(await startStoreApp(database));
    const stores = apps.map((a) => a.get(StoreAdapter));
    const connections = apps.map((a) => a.get<Connection>(getConnectionToken()));
    const counters = connections.map((c) => c.collection<Counter>('bench_counters'));
    const store = stores[0];
    const local = new FerretDbStoreAdapter(store.identity, new LocalStoreLock());
    await counters[0].insertMany([{ _id: 'seq', n: 0 }, { _id: 'hot', n: 0 }, { _id: 'raw-hot', n: 0 }]);
    // Bounded like the adapter bounds its own (FerretDB has been seen to lose a reply): a bench never hangs.
    const write = (i: number, id: string, boundMs = 20_000) => () =>
      withWriteTimeout(id, boundMs, counters[i].findOneAndUpdate({ _id: id }, { $inc: { n: 1 } }, { returnDocument: 'after' }));
    const progress = (phase: string) => console.log(`[bench:store] ${new Date().toISOString()} ${phase}`);

    // One writer at a time, interleaved so drift hits the three alike.
    const variants = {
      'write alone': () => write(0, 'seq')(),
      'in-process lock': () => local.serialize('bench_counters:seq', write(0, 'seq')),
      'in-process + Redis lock (production)': () => store.serialize('bench_counters:seq', write(0, 'seq')),
    };
    const sequential: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
    progress('sequential');
    for (let i = 0; i < 30; i++) for (const run of Object.values(variants)) await run();
    for (let i = 0; i < SAMPLES; i++) for (const [name, run] of Object.entries(variants)) sequential[name].push(await timeMs(run));

    // Contended: every writer of both servers on one document at once.
    const contended = async (guarded: boolean, id: string) => {
      progress(`contended, ${guarded ? 'through the adapter' : 'no lock'}`);
      const samples: number[] = [];
      let failed = 0;
      const started = performance.now();
      await Promise.all(
        stores.flatMap((s, i) =>
          Array.from({ length: CONTENDED.writersPerServer }, async () => {
            for (let k = 0; k < CONTENDED.writesPerWriter; k++) {
              try {
                samples.push(await timeMs(() => (guarded ? s.serialize(`bench_counters:${id}`, write(i, id)) : write(i, id, 5_000)())));
              } catch (err) {
                failed++;
                console.log(`[bench:store] write failed: ${(err as Error).message}`);
              }
            }
          }),
        ),
      );
      const seconds = (performance.now() - started) / 1000;
      const expected = CONTENDED.servers * CONTENDED.writersPerServer * CONTENDED.writesPerWriter;
      // Unlocked racing writers on FerretDB/PostgreSQL were seen to leave the document unanswering: bounded too.
      const stored = await withWriteTimeout(id, 10_000, counters[0].findOne({ _id: id })).then(
        (doc) => doc!.n,
        () => null,
      );
      return { ...stats(samples), writesPerSecond: round(expected / seconds, 1), expected, failed, stored, lost: stored === null ? null : expected - failed - stored };
    };
    const guarded = await contended(true, 'hot');
    const unguarded = await contended(false, 'raw-hot');

    const result = {
      store: store.identity,
      date: new Date().toISOString(),
      sequential: Object.fromEntries(Object.entries(sequential).map(([k, v]) => [k, stats(v)])),
      contended: { shape: CONTENDED, 'through the adapter (production lock)': guarded, 'write alone (no lock)': unguarded },
    };
    console.log(JSON.stringify(result, null, 2));
    console.log(`results: ${writeResult(`store-guarded-${store.kind}`, result)}`);
    // Sanity only (never timings): the production lock lost nothing.
    expect(guarded.lost).toBe(0);
    expect(guarded.failed).toBe(0);
  });
});
