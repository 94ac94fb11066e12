/**
 * What keeping a WhatsApp Web link in the store costs: snapshot size against the whole browser
 * profile, and save / restore times (median of SAMPLES), through AuthSnapshots on the bench's store
 * (the e2e global setup's FerretDB over PostgreSQL, or MONGODB_URI):
 *
 *   node_modules/.bin/node --experimental-vm-modules node_modules/jest/bin/jest.js -c bench/jest.bench.config.js bench/auth-snapshot.bench.ts
 *
 * Profiles are made by the real whatsapp-web.js Client in Chromium, linked on the offline sandbox page:
 * - `sandbox-link`: the link alone (the sandbox keeps it in localStorage);
 * - `sandbox-link+idb`: the same plus BENCH_AUTH_IDB_MB of message-like records (text, random keys)
 *   that the page writes into IndexedDB at https://web.whatsapp.com, so Chromium's own LevelDB files
 *   stand in for real WhatsApp Web's store. Real accounts vary widely; this is a size, not a claim.
 * "save" is a changed profile (the stored snapshot is removed first, untimed), "save, unchanged" the
 * skip path (read + hash + one lookup), "restore" into an empty profile. Each restored profile is then
 * started once and must reach READY without a QR. Writes bench/results/auth-snapshot.json.
 */
import { INestApplicationContext } from '@nestjs/common';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import type { Connection } from 'mongoose';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/app-config';
import { ConfigModule } from '../src/config/config.module';
import { identifyStore } from '../src/store/store-identity';
import { AuthSnapshots } from '../src/whatsapp/auth-snapshots/auth-snapshots';
import { AuthSnapshotsModule } from '../src/whatsapp/auth-snapshots/auth-snapshots.module';
import { snapshotProfile } from '../src/whatsapp/auth-snapshots/profile-archive';
import { testEnv, uniqueDatabase } from '../test/harness/test-app';
import { browserPids, destroyAll, killLeftovers, startSandboxClient, TEMP_ROOT } from '../test/sandbox/sandbox-harness';
import { percentile, round, timeMs, writeResult } from './stats';

const SAMPLES = Number(process.env.BENCH_AUTH_SAMPLES ?? 5);
const IDB_MB = Number(process.env.BENCH_AUTH_IDB_MB ?? 16);

interface Row {
  profile: string;
  wholeProfileBytes: number;
  authFiles: number;
  authBytes: number;
  archiveBytes: number;
  storedBytes: number;
  storedVsWholeProfile: number;
  saveMs: { median: number; all: number[] };
  saveUnchangedMs: { median: number; all: number[] };
  restoreMs: { median: number; all: number[] };
  restoredReadyWithoutQr: boolean;
}

/** Apparent size of every file under dir. */
async function treeBytes(dir: string): Promise<number> {
  let bytes = 0;
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) if (e.isFile()) bytes += (await stat(join(e.parentPath, e.name))).size;
  return bytes;
}

/** Runs in the sandbox page: message-like records into IndexedDB until about `mb` MiB of JSON went in. */
async function fillIndexedDb(mb: number): Promise<{ records: number; bytes: number }> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open('model-storage', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('message', { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  const words = ['ok', 'tudo bem?', 'obrigado', 'chego em 10 min', 'pode mandar o pedido', 'bom dia', 'sim', 'até amanhã', 'valeu'];
  const random = (n: number) => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(n))));
  let bytes = 0;
  let records = 0;
  while (bytes < mb * 1024 * 1024) {
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('message', 'readwrite');
      const store = tx.objectStore('message');
      for (let k = 0; k < 500; k++, records++) {
        const body = Array.from({ length: 1 + (records % 12) }, (_, i) => words[(records + i) % words.length]).join(' ');
        const record = { id: `false_5521900${String(records % 997).padStart(6, '0')}@c.us_${random(12)}`, body, t: 1_796_000_000 + records, ack: 3, type: 'chat', mediaKey: random(32), encFilehash: random(32) };
        bytes += JSON.stringify(record).length;
        store.put(record);
      }
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
  }
  db.close();
  return { records, bytes };
}

jest.setTimeout(30 * 60 * 1000);

describe('auth snapshot bench', () => {
  const contexts: INestApplicationContext[] = [];
  afterAll(async () => {
    await destroyAll();
    for (let waited = 0; browserPids().length > 0 && waited < 5000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    killLeftovers();
    for (const c of contexts) await c.close();
    await rm(TEMP_ROOT, { recursive: true, force: true });
  });

  it('measures snapshot size, save and restore', async () => {
    const config = loadConfig(testEnv(uniqueDatabase('benchauth'), { PROVIDER_CREDENTIALS_KEY: 'bench-auth-snapshot-key-0123456789abcdef' }));
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), MongooseModule.forRoot(config.storage.mongodbUri!, { retryWrites: false }), AuthSnapshotsModule],
    }).compile();
    const context = await moduleRef.init();
    contexts.push(context);
    const snapshots = context.get(AuthSnapshots);
    const store = await identifyStore(context.get<Connection>(getConnectionToken()).db!);
    const loadBefore = loadavg().map((l) => round(l));
    const work = await mkdtemp(join(tmpdir(), 'bench-auth-'));

    const profiles: { name: string; idbMb: number }[] = [
      { name: 'sandbox-link', idbMb: 0 },
      { name: `sandbox-link+idb${IDB_MB}MiB`, idbMb: IDB_MB },
    ];
    const rows: Row[] = [];
    for (const [index, p] of profiles.entries()) {
      const channelId = `bench-${index}`;
      const dataPath = join(TEMP_ROOT, `linked-${index}`);
      const linked = await startSandboxClient(dataPath, { qrRefreshMs: 0 });
      await linked.events.waitFor('qr');
      await linked.driver.link();
      await linked.events.waitFor('ready');
      if (p.idbMb > 0) console.log(`[bench:auth] ${p.name}: wrote`, await linked.client.pupPage!.evaluate(fillIndexedDb, p.idbMb));
      // A clean close: Chromium commits localStorage and IndexedDB before it exits.
      await linked.client.destroy();
      const profileDir = join(dataPath, 'session');
      const snapshot = (await snapshotProfile(profileDir))!;

      const save: number[] = [];
      const unchanged: number[] = [];
      const restore: number[] = [];
      let storedBytes = 0;
      for (let i = 0; i < SAMPLES; i++) {
        await snapshots.remove(channelId);
        const saved = await snapshots.save(channelId, 'bench', profileDir);
        expect(saved.saved).toBe(true);
        storedBytes = saved.bytes;
        save.push(saved.ms);
        const skipped = await snapshots.save(channelId, 'bench', profileDir);
        expect(skipped.saved).toBe(false);
        unchanged.push(skipped.ms);
      }
      let restoredData = '';
      for (let i = 0; i < SAMPLES; i++) {
        restoredData = join(work, `restored-${index}-${i}`);
        restore.push(await timeMs(async () => expect((await snapshots.restore(channelId, join(restoredData, 'session'))).restored).toBe(true)));
      }

      const again = await startSandboxClient(restoredData, { qrRefreshMs: 0 });
      await Promise.race([again.events.waitFor('ready', undefined, 30_000), again.events.waitFor('qr', undefined, 30_000)]);
      const readyWithoutQr = again.events.count('ready') > 0 && again.events.count('qr') === 0;
      await again.client.destroy();

      const wholeProfileBytes = await treeBytes(profileDir);
      const row: Row = {
        profile: p.name,
        wholeProfileBytes,
        authFiles: snapshot.files,
        authBytes: snapshot.bytes,
        archiveBytes: snapshot.archive.length,
        storedBytes,
        storedVsWholeProfile: round(storedBytes / wholeProfileBytes, 4),
        saveMs: { median: percentile(save, 50), all: save },
        saveUnchangedMs: { median: percentile(unchanged, 50), all: unchanged },
        restoreMs: { median: round(percentile(restore, 50), 1), all: restore.map((ms) => round(ms, 1)) },
        restoredReadyWithoutQr: readyWithoutQr,
      };
      rows.push(row);
      expect(readyWithoutQr).toBe(true);
    }

    const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    console.log(
      [
        '',
        `Auth snapshots on ${store.kind} ${store.version} (median of ${SAMPLES}; load average before ${loadBefore.join(' / ')}, ${cpus().length} cores)`,
        'profile                  | whole profile | auth files (bytes) | archive    | stored     | stored/whole | save ms | unchanged ms | restore ms | READY w/o QR',
        ...rows.map(
          (r) =>
            `${r.profile.padEnd(24)} | ${kib(r.wholeProfileBytes).padStart(13)} | ${`${r.authFiles} (${kib(r.authBytes)})`.padStart(18)} | ${kib(r.archiveBytes).padStart(10)} | ${kib(r.storedBytes).padStart(10)} | ${(r.storedVsWholeProfile * 100).toFixed(2).padStart(11)}% | ${String(r.saveMs.median).padStart(7)} | ${String(r.saveUnchangedMs.median).padStart(12)} | ${String(r.restoreMs.median).padStart(10)} | ${r.restoredReadyWithoutQr}`,
        ),
        '',
      ].join('\n'),
    );
    const file = writeResult('auth-snapshot', {
      bench: 'auth-snapshot',
      at: new Date().toISOString(),
      node: process.version,
      store,
      samples: SAMPLES,
      idbMiB: IDB_MB,
      loadAverage: { before: loadBefore, after: loadavg().map((l) => round(l)) },
      rows,
    });
    console.log(`[bench:auth] wrote ${file}`);
    await rm(work, { recursive: true, force: true });
  });
});
