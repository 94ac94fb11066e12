import { INestApplicationContext } from '@nestjs/common';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import type { Connection } from 'mongoose';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Client } from 'pg';
import { loadConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { ensureGinIndexes, ginFieldsByCollection } from '../../src/database/embedded/gin-indexes';
import { AuthSnapshots } from '../../src/whatsapp/auth-snapshots/auth-snapshots';
import { AuthSnapshotsModule } from '../../src/whatsapp/auth-snapshots/auth-snapshots.module';
import { snapshotProfile } from '../../src/whatsapp/auth-snapshots/profile-archive';
import { AuthSnapshotUnreadableError } from '../../src/whatsapp/auth-snapshots/snapshot-cipher';
import { testEnv, uniqueDatabase } from '../harness/test-app';
import { browserPids, destroyAll, killLeftovers, startSandboxClient, TEMP_ROOT } from '../sandbox/sandbox-harness';

const LOCAL_STORAGE = 'Default/Local Storage/leveldb';
const IDB = 'Default/IndexedDB/https_web.whatsapp.com_0.indexeddb.leveldb';
const KEY = 'auth-snapshots-e2e-key-0123456789abcdef';

/**
 * AuthSnapshots on the real store (FerretDB over PostgreSQL here, or MONGODB_URI): two "server
 * processes" are two Nest contexts with their own connections on one database, as two machines
 * sharing a MongoDB would be. The last case links a real whatsapp-web.js session in Chromium against
 * the offline sandbox page and restores it elsewhere without a QR.
 */
describe('AuthSnapshots (GridFS, real store)', () => {
  const database = uniqueDatabase('authsnap');
  const contexts: INestApplicationContext[] = [];
  let root: string;
  let snapshots: AuthSnapshots;
  let connection: Connection;

  async function startContext(credentialsKey?: string): Promise<{ snapshots: AuthSnapshots; connection: Connection }> {
    const config = loadConfig(testEnv(database, credentialsKey ? { PROVIDER_CREDENTIALS_KEY: credentialsKey } : {}));
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), MongooseModule.forRoot(config.storage.mongodbUri!, { retryWrites: false }), AuthSnapshotsModule],
    }).compile();
    const context = await moduleRef.init();
    contexts.push(context);
    return { snapshots: context.get(AuthSnapshots), connection: context.get<Connection>(getConnectionToken()) };
  }

  async function writeProfile(dir: string, files: Record<string, string | Buffer>): Promise<void> {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
  }

  async function filesUnder(dir: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const e of await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])) {
      if (e.isFile()) out[relative(dir, join(e.parentPath, e.name))] = (await readFile(join(e.parentPath, e.name))).toString('base64');
    }
    return out;
  }

  /** The stored bytes of the channel's snapshots, straight from the chunks collection. */
  async function storedBlobs(channelId: string): Promise<Buffer[]> {
    const files = await connection.db!.collection('authSnapshots.files').find({ filename: channelId }).toArray();
    const blobs: Buffer[] = [];
    for (const file of files) {
      const chunks = await connection.db!.collection('authSnapshots.chunks').find({ files_id: file._id }).toArray();
      chunks.sort((a, b) => a.n - b.n);
      blobs.push(Buffer.concat(chunks.map((c) => Buffer.from(c.data.buffer))));
    }
    return blobs;
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'auth-snapshots-e2e-'));
    ({ snapshots, connection } = await startContext(KEY));
  });

  afterAll(async () => {
    await destroyAll();
    const deadline = Date.now() + 5000;
    while (browserPids().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const leftovers = killLeftovers();
    for (const context of contexts) await context.close();
    await rm(root, { recursive: true, force: true });
    await rm(TEMP_ROOT, { recursive: true, force: true });
    expect(leftovers).toBe(0);
  });

  const PROFILE = {
    [`${LOCAL_STORAGE}/000003.log`]: Buffer.from('_https://web.whatsapp.com\0\u0001last-wid-md 5521900000001:7@c.us'),
    [`${LOCAL_STORAGE}/CURRENT`]: 'MANIFEST-000001\n',
    [`${LOCAL_STORAGE}/MANIFEST-000001`]: Buffer.from([0x56, 0xf3, 0x1c, 0x00, 0x01]),
    [`${LOCAL_STORAGE}/LOCK`]: '',
    [`${IDB}/000005.ldb`]: Buffer.from(Array.from({ length: 600 * 1024 }, (_, i) => (i * 7919) % 251)), // three GridFS chunks
    [`${IDB}/CURRENT`]: 'MANIFEST-000004\n',
    'Default/Cache/Cache_Data/data_0': 'cache, not part of the link',
  };

  it('saves, then restores into an empty profile on another process: identical files', async () => {
    const source = join(root, 'source');
    await writeProfile(source, PROFILE);
    const saved = await snapshots.save('ch-roundtrip', 'acc-1', source);
    expect(saved).toEqual({ saved: true, bytes: expect.any(Number), ms: expect.any(Number) });
    expect(await snapshots.has('ch-roundtrip')).toBe(true);

    const other = await startContext(KEY);
    const target = join(root, 'machine-2', 'session');
    const restored = await other.snapshots.restore('ch-roundtrip', target);
    expect(restored).toEqual({ restored: true, bytes: saved.bytes, ms: expect.any(Number) });

    const expected = await filesUnder(source);
    delete expected[`${LOCAL_STORAGE}/LOCK`];
    delete expected['Default/Cache/Cache_Data/data_0'];
    expect(await filesUnder(target)).toEqual(expected);

    const file = await connection.db!.collection('authSnapshots.files').findOne({ filename: 'ch-roundtrip' });
    expect(file!.metadata).toMatchObject({ clientIdentifier: 'acc-1', hash: (await snapshotProfile(source))!.hash, bytes: saved.bytes, files: 5 });
  });

  it('skips an unchanged profile, and a change replaces the stored snapshot (one file kept)', async () => {
    const profile = join(root, 'skip');
    await writeProfile(profile, PROFILE);
    expect((await snapshots.save('ch-skip', 'acc-1', profile)).saved).toBe(true);
    const again = await snapshots.save('ch-skip', 'acc-1', profile);
    expect(again.saved).toBe(false);
    // LOCK and LOG files change on every browser start; they are not the link.
    await writeProfile(profile, { [`${LOCAL_STORAGE}/LOG`]: 'reopened' });
    expect((await snapshots.save('ch-skip', 'acc-1', profile)).saved).toBe(false);

    await writeProfile(profile, { [`${IDB}/000007.ldb`]: 'new keys' });
    expect((await snapshots.save('ch-skip', 'acc-1', profile)).saved).toBe(true);
    expect(await storedBlobs('ch-skip')).toHaveLength(1);
    expect(await connection.db!.collection('authSnapshots.chunks').countDocuments()).toBeGreaterThan(0);

    const target = join(root, 'skip-restored');
    await writeProfile(target, { [`${IDB}/000099.ldb`]: 'stale state from an older link' });
    await snapshots.restore('ch-skip', target);
    expect(Object.keys(await filesUnder(join(target, IDB))).sort()).toEqual(['000005.ldb', '000007.ldb', 'CURRENT']);
  });

  it('remove deletes every snapshot of the channel and its chunks; restore then returns false', async () => {
    const profile = join(root, 'remove');
    await writeProfile(profile, PROFILE);
    await snapshots.save('ch-remove', 'acc-1', profile);
    const fileIds = (await connection.db!.collection('authSnapshots.files').find({ filename: 'ch-remove' }).toArray()).map((f) => f._id);
    await snapshots.remove('ch-remove');
    expect(await snapshots.has('ch-remove')).toBe(false);
    expect(await connection.db!.collection('authSnapshots.chunks').countDocuments({ files_id: fileIds[0] })).toBe(0);
    const target = join(root, 'remove-restored');
    expect(await snapshots.restore('ch-remove', target)).toEqual({ restored: false, bytes: 0, ms: expect.any(Number) });
    expect(await filesUnder(target)).toEqual({});
    // A profile that holds no link saves nothing (and leaves what is stored alone).
    expect(await snapshots.save('ch-remove', 'acc-1', join(root, 'empty'))).toEqual({ saved: false, bytes: 0, ms: expect.any(Number) });
  });

  it('stores ciphertext: no marker, no gzip, and only the same key opens it', async () => {
    const marker = `MARKER-${Date.now()}-plaintext-link-secret`;
    const profile = join(root, 'cipher');
    await writeProfile(profile, { [`${LOCAL_STORAGE}/000003.log`]: marker.repeat(3), [`${LOCAL_STORAGE}/CURRENT`]: 'MANIFEST-000001\n' });
    // Control: unencrypted, the archive would give the marker away.
    expect(gunzipSync((await snapshotProfile(profile))!.archive).includes(marker)).toBe(true);

    await snapshots.save('ch-cipher', 'acc-1', profile);
    const [blob] = await storedBlobs('ch-cipher');
    expect(blob.includes(marker)).toBe(false);
    expect(blob.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))).toBe(false);
    expect(() => gunzipSync(blob)).toThrow();

    // A machine whose PROVIDER_CREDENTIALS_KEY differs (here: generated into its own DATA_DIR) cannot read it.
    const stranger = await startContext();
    const target = join(root, 'stranger');
    await writeProfile(target, { [`${LOCAL_STORAGE}/000003.log`]: 'its own state' });
    await expect(stranger.snapshots.restore('ch-cipher', target)).rejects.toBeInstanceOf(AuthSnapshotUnreadableError);
    expect(Object.keys(await filesUnder(target))).toEqual([`${LOCAL_STORAGE}/000003.log`]);
  });

  it('gives the bucket GIN indexes on FerretDB over PostgreSQL (restores look chunks up by files_id)', async () => {
    const pgUrl = process.env.FERRETDB_POSTGRESQL_URL;
    if (!pgUrl) return; // MongoDB (or FerretDB on SQLite): GridFS's own indexes serve it.
    await ensureGinIndexes(pgUrl, database, ginFieldsByCollection(connection));
    const pg = new Client({ connectionString: pgUrl });
    await pg.connect();
    try {
      const { rows } = await pg.query<{ indexname: string }>('SELECT indexname FROM pg_indexes WHERE schemaname = $1', [database]);
      const names = rows.map((r) => r.indexname);
      expect(names.some((n) => /^authsnapshots_chunks_.*_gin_files_id$/.test(n))).toBe(true);
      expect(names.some((n) => /^authsnapshots_files_.*_gin_filename$/.test(n))).toBe(true);
    } finally {
      await pg.end();
    }
  });

  it('a live-saved link of a real whatsapp-web.js session restores on another process without a QR', async () => {
    const first = join(TEMP_ROOT, 'authsnap-first');
    const linked = await startSandboxClient(first, { qrRefreshMs: 0 });
    await linked.events.waitFor('qr');
    await linked.driver.link();
    await linked.events.waitFor('ready');
    // Chromium commits localStorage about 5 s after a write: a save at READY would miss the link.
    await new Promise((r) => setTimeout(r, 8_000));
    const saved = await snapshots.save('ch-live', 'acc-1', join(first, 'session'));
    expect(saved.saved).toBe(true);
    await linked.client.destroy();

    const other = await startContext(KEY);
    const second = join(TEMP_ROOT, 'authsnap-second');
    expect((await other.snapshots.restore('ch-live', join(second, 'session'))).restored).toBe(true);
    const restored = await startSandboxClient(second, { qrRefreshMs: 0 });
    await restored.events.waitFor('ready', undefined, 30_000);
    expect(restored.events.count('qr')).toBe(0);
    expect(restored.client.info.wid._serialized).toBe('15550000001@c.us');
    await restored.client.destroy();
  });
});
