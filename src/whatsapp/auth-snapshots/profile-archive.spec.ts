import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header, list } from 'tar';
import {
  archiveProfile,
  contentHash,
  extractProfile,
  PROFILE_AUTH_DIRS,
  readProfileFiles,
  snapshotProfile,
  UnsafeArchiveError,
} from './profile-archive';

const LOCAL_STORAGE = 'Default/Local Storage/leveldb';
const IDB = 'Default/IndexedDB/https_web.whatsapp.com_0.indexeddb.leveldb';
const IDB_BLOB = 'Default/IndexedDB/https_web.whatsapp.com_0.indexeddb.blob';

/** What a linked profile looks like on disk: the auth state among caches, locks and other origins. */
const PROFILE: Record<string, string> = {
  [`${LOCAL_STORAGE}/000003.log`]: 'paired=true',
  [`${LOCAL_STORAGE}/CURRENT`]: 'MANIFEST-000001\n',
  [`${LOCAL_STORAGE}/MANIFEST-000001`]: 'manifest',
  [`${LOCAL_STORAGE}/LOCK`]: '',
  [`${LOCAL_STORAGE}/LOG`]: 'opened at 10:00',
  [`${IDB}/000005.ldb`]: 'signal keys',
  [`${IDB}/CURRENT`]: 'MANIFEST-000004\n',
  [`${IDB}/LOCK`]: '',
  [`${IDB}/LOG.old`]: 'older log',
  [`${IDB_BLOB}/1/00/3`]: 'a large value',
  'Default/IndexedDB/https_example.com_0.indexeddb.leveldb/CURRENT': 'another origin',
  'Default/Cache/Cache_Data/data_0': 'cache',
  'Default/Service Worker/ScriptCache/index': 'sw',
  'Default/GPUCache/data_1': 'gpu',
  'Default/Cookies': 'cookies',
  'Default/Session Storage/000003.log': 'session storage',
  SingletonLock: 'lock',
};

const EXPECTED = Object.keys(PROFILE)
  .filter((p) => PROFILE_AUTH_DIRS.some((d) => p.startsWith(`${d}/`)) && !/\/(LOCK|LOG|LOG\.old)$/.test(p))
  .sort();

describe('profile-archive', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'profile-archive-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function writeProfile(dir: string, files: Record<string, string>): Promise<void> {
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
  }

  async function filesUnder(dir: string): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (e.isFile()) out[relative(dir, join(e.parentPath, e.name))] = await readFile(join(e.parentPath, e.name), 'utf8');
    }
    return out;
  }

  async function entriesOf(archive: Buffer): Promise<string[]> {
    const dir = join(root, 'archive.tgz');
    await writeFile(dir, archive);
    const paths: string[] = [];
    await list({ file: dir, onReadEntry: (e) => void paths.push(e.path) });
    return paths.sort();
  }

  /** A gzipped tar built header by header, so entries can be what no packer would write. */
  function rawTar(entries: { path: string; type?: 'File' | 'SymbolicLink'; data?: string; linkpath?: string }[]): Buffer {
    const blocks: Buffer[] = [];
    for (const e of entries) {
      const data = Buffer.from(e.data ?? '');
      const header = new Header({ path: e.path, type: e.type ?? 'File', mode: 0o600, size: e.type === 'SymbolicLink' ? 0 : data.length, mtime: new Date(), linkpath: e.linkpath });
      header.encode();
      blocks.push(header.block!);
      if (e.type !== 'SymbolicLink' && data.length) blocks.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
    }
    blocks.push(Buffer.alloc(1024));
    return gzipSync(Buffer.concat(blocks));
  }

  it('archives only the localStorage and web.whatsapp.com IndexedDB files, without LOCK and LOG files', async () => {
    const profile = join(root, 'profile');
    await writeProfile(profile, PROFILE);
    const archive = await archiveProfile(profile);
    expect(archive).toBeDefined();
    expect(archive!.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip
    expect(await entriesOf(archive!)).toEqual(EXPECTED);
  });

  it('returns undefined when the profile holds no auth state', async () => {
    const profile = join(root, 'profile');
    await writeProfile(profile, { 'Default/Cookies': 'x', [`${LOCAL_STORAGE}/LOCK`]: '' });
    expect(await archiveProfile(profile)).toBeUndefined();
    expect(await archiveProfile(join(root, 'missing'))).toBeUndefined();
  });

  it('extracts into an empty directory: the same files, owner-only modes', async () => {
    const profile = join(root, 'profile');
    await writeProfile(profile, PROFILE);
    const snapshot = (await snapshotProfile(profile))!;
    expect(snapshot.files).toBe(EXPECTED.length);

    const target = join(root, 'restored');
    await extractProfile(snapshot.archive, target);
    const restored = await filesUnder(target);
    expect(Object.keys(restored).sort()).toEqual(EXPECTED);
    for (const path of EXPECTED) expect(restored[path]).toBe(PROFILE[path]);
    expect((await stat(join(target, IDB, '000005.ldb'))).mode & 0o777).toBe(0o600);
    expect(contentHash(await readProfileFiles(target))).toBe(snapshot.hash);
  });

  it('replaces the auth directories and leaves the rest of the profile alone', async () => {
    const source = join(root, 'source');
    await writeProfile(source, { [`${LOCAL_STORAGE}/000003.log`]: 'new link' });
    const target = join(root, 'target');
    await writeProfile(target, {
      [`${LOCAL_STORAGE}/000003.log`]: 'old link',
      [`${LOCAL_STORAGE}/000009.ldb`]: 'stale table',
      [`${IDB}/000005.ldb`]: 'stale keys',
      [`${IDB_BLOB}/1/00/3`]: 'stale blob',
      'Default/Cookies': 'kept',
      '.auth-snapshot-Ab12Cd/Default/Local Storage/leveldb/CURRENT': 'left by a restore that was killed',
    });
    await extractProfile((await archiveProfile(source))!, target);
    expect(await filesUnder(target)).toEqual({ [`${LOCAL_STORAGE}/000003.log`]: 'new link', 'Default/Cookies': 'kept' });
    // No staging directory is left behind, nor one an earlier restore left.
    expect((await readdir(target)).sort()).toEqual(['Default']);
  });

  it.each([
    ['a parent-directory entry', [{ path: `${LOCAL_STORAGE}/../../../../escaped`, data: 'x' }]],
    ['a leading ../', [{ path: '../escaped', data: 'x' }]],
    ['an absolute path', [{ path: '/tmp/escaped', data: 'x' }]],
    ['an entry outside the auth directories', [{ path: 'Default/Preferences', data: '{}' }]],
    ['a symlink', [{ path: `${LOCAL_STORAGE}/link`, type: 'SymbolicLink' as const, linkpath: '/etc' }]],
  ])('refuses %s and writes nothing', async (_name, entries) => {
    const target = join(root, 'target');
    await writeProfile(target, { [`${LOCAL_STORAGE}/000003.log`]: 'current link' });
    const archive = rawTar([{ path: `${LOCAL_STORAGE}/000004.log`, data: 'fine' }, ...entries]);
    const refused = await extractProfile(archive, target).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(UnsafeArchiveError);
    expect((refused as UnsafeArchiveError).entry).toBe(entries[0].path);
    expect(await filesUnder(root)).toEqual({ [`target/${LOCAL_STORAGE}/000003.log`]: 'current link' });
  });

  it('hashes the same content the same way, and changed content differently', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    await writeProfile(a, PROFILE);
    await writeProfile(b, { ...PROFILE, [`${LOCAL_STORAGE}/LOG`]: 'reopened at 11:00', 'Default/GPUCache/data_1': 'other' });
    const first = (await snapshotProfile(a))!;
    const again = (await snapshotProfile(a))!;
    expect(again.hash).toBe(first.hash);
    // LOG files and everything outside the auth directories do not count.
    expect((await snapshotProfile(b))!.hash).toBe(first.hash);

    await writeFile(join(a, IDB, '000005.ldb'), 'rotated keys');
    expect((await snapshotProfile(a))!.hash).not.toBe(first.hash);
    await writeFile(join(a, IDB, '000005.ldb'), 'signal keys');
    await writeFile(join(a, IDB, '000006.ldb'), '');
    expect((await snapshotProfile(a))!.hash).not.toBe(first.hash);
  });

  it('frames paths and contents so moving bytes between them changes the hash', () => {
    const one = contentHash([{ path: 'ab', data: Buffer.from('c') }]);
    const two = contentHash([{ path: 'a', data: Buffer.from('bc') }]);
    expect(one).not.toBe(two);
    const ordered = contentHash([{ path: 'x', data: Buffer.from('1') }, { path: 'y', data: Buffer.from('2') }]);
    const reversed = contentHash([{ path: 'y', data: Buffer.from('2') }, { path: 'x', data: Buffer.from('1') }]);
    expect(ordered).toBe(reversed);
  });
});
