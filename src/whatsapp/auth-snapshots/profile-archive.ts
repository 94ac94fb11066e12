import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, posix, sep } from 'node:path';
import { Header, Pack, Parser, ReadEntry, Unpack } from 'tar';

/**
 * What WhatsApp Web needs from a Chromium profile to come back linked: the origin's localStorage (the
 * whole profile shares one LevelDB) and its IndexedDB (one LevelDB per origin, plus large values in a
 * blob directory). Caches, service workers, cookies and the rest are rebuilt by the page.
 */
export const PROFILE_AUTH_DIRS = [
  'Default/Local Storage/leveldb',
  'Default/IndexedDB/https_web.whatsapp.com_0.indexeddb.leveldb',
  'Default/IndexedDB/https_web.whatsapp.com_0.indexeddb.blob',
] as const;

/**
 * LevelDB files that are not state: LOCK belongs to the running browser, LOG/LOG.old are its human-readable
 * diagnostics (rewritten on every open, so keeping them would change the hash without any change in state).
 */
const SKIPPED_NAMES = new Set(['LOCK', 'LOG', 'LOG.old']);

/** How often the files are read again when the browser rewrote the directory meanwhile. */
const COLLECT_ATTEMPTS = 5;

/** extractProfile unpacks here, inside the profile, before swapping directories in. */
const STAGING_PREFIX = '.auth-snapshot-';

export interface ProfileFile {
  /** Relative to the profile directory, `/`-separated. */
  path: string;
  data: Buffer;
}

export interface ProfileSnapshot {
  /** tar + gzip of the files. */
  archive: Buffer;
  /** contentHash of the files (stable across runs, unlike the gzip bytes). */
  hash: string;
  files: number;
  /** Bytes of the files before compression. */
  bytes: number;
}

/** An archive entry that would land outside the selected directories (absolute, `..`, a link…): nothing was written. */
export class UnsafeArchiveError extends Error {
  constructor(readonly entry: string, reason: string) {
    super(`refusing auth snapshot entry '${entry}': ${reason}`);
    this.name = 'UnsafeArchiveError';
  }
}

/** The selected files kept changing while they were read (a browser busy compacting): try again later. */
export class ProfileBusyError extends Error {
  constructor(profileDir: string) {
    super(`the auth state under ${profileDir} kept changing while it was read (${COLLECT_ATTEMPTS} attempts)`);
    this.name = 'ProfileBusyError';
  }
}

/**
 * sha256 over the sorted relative paths and contents, each length-prefixed (so no two file lists
 * collide). The hash is taken over the files rather than the archive: the archive carries mtimes and
 * depends on tar/zlib versions, and a dependency upgrade must not look like a changed link.
 */
export function contentHash(files: readonly ProfileFile[]): string {
  const hash = createHash('sha256');
  const frame = (bytes: Buffer): void => {
    const len = Buffer.alloc(8);
    len.writeBigUInt64BE(BigInt(bytes.length));
    hash.update(len).update(bytes);
  };
  for (const file of [...files].sort((a, b) => compare(a.path, b.path))) {
    frame(Buffer.from(file.path, 'utf8'));
    frame(file.data);
  }
  return hash.digest('hex');
}

/** The selected files of a profile, read as one consistent set (see below); [] when there are none. */
export async function readProfileFiles(profileDir: string): Promise<ProfileFile[]> {
  for (let attempt = 0; attempt < COLLECT_ATTEMPTS; attempt++) {
    const before = await listSelected(profileDir);
    const files = await readAll(profileDir, before);
    // LevelDB replaces whole files when it compacts (new table, new MANIFEST, old ones deleted): a copy
    // taken across such a change can name a table it lacks. The same names before and after the reads
    // mean no compaction finished in between; appends to the .log and MANIFEST are replayed safely.
    if (files && sameNames(before, await listSelected(profileDir))) return files;
  }
  throw new ProfileBusyError(profileDir);
}

/** The profile's auth state as an archive with its hash, or undefined when the profile holds none. */
export async function snapshotProfile(profileDir: string): Promise<ProfileSnapshot | undefined> {
  const files = await readProfileFiles(profileDir);
  if (files.length === 0) return undefined;
  return {
    archive: await packFiles(files),
    hash: contentHash(files),
    files: files.length,
    bytes: files.reduce((n, f) => n + f.data.length, 0),
  };
}

/** tar + gzip of the profile's auth state (PROFILE_AUTH_DIRS, without LOCK/LOG), or undefined when there is none. */
export async function archiveProfile(profileDir: string): Promise<Buffer | undefined> {
  return (await snapshotProfile(profileDir))?.archive;
}

/**
 * Replaces the profile's auth directories with the archive's. Every entry is checked before anything
 * is written (a regular file or directory under PROFILE_AUTH_DIRS, relative, no `..`); the archive is
 * unpacked into a staging directory inside the profile (same filesystem) and each directory is then
 * swapped in by rename, so a refused or failed unpack leaves the previous state untouched.
 */
export async function extractProfile(archive: Buffer, profileDir: string): Promise<void> {
  let refused: UnsafeArchiveError | undefined;
  await parse(archive, new Parser({ strict: true, onReadEntry: (entry) => ((refused ??= unsafeEntry(entry)), entry.resume()) }));
  if (refused) throw refused;
  await mkdir(profileDir, { recursive: true, mode: 0o700 });
  // A restore cut short (the process killed) leaves its staging directory behind.
  for (const name of await readdir(profileDir)) if (name.startsWith(STAGING_PREFIX)) await rm(join(profileDir, name), { recursive: true, force: true });
  const staging = await mkdtemp(join(profileDir, STAGING_PREFIX));
  try {
    await parse(
      archive,
      new Unpack({
        cwd: staging,
        strict: true,
        preserveOwner: false,
        dmode: 0o700,
        fmode: 0o600,
        // Checked above; checked again so nothing the check did not see is ever written.
        filter: (_path, entry) => !unsafeEntry(entry as ReadEntry),
      }),
    );
    for (const dir of PROFILE_AUTH_DIRS) {
      const target = join(profileDir, ...dir.split('/'));
      await rm(target, { recursive: true, force: true });
      const staged = join(staging, ...dir.split('/'));
      if (!(await exists(staged))) continue;
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      await rename(staged, target);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

function unsafeEntry(entry: ReadEntry): UnsafeArchiveError | undefined {
  const path = entry.path;
  if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'Directory') return new UnsafeArchiveError(path, `type ${entry.type}`);
  if (posix.isAbsolute(path) || /^[A-Za-z]:/.test(path) || path.includes('\\')) return new UnsafeArchiveError(path, 'absolute or Windows path');
  const parts = path.replace(/\/$/, '').split('/');
  if (parts.some((p) => p === '..' || p === '.' || p === '')) return new UnsafeArchiveError(path, "'..', '.' or an empty segment");
  const normalized = parts.join('/');
  const inside = PROFILE_AUTH_DIRS.some(
    (dir) => normalized === dir || normalized.startsWith(`${dir}/`) || (entry.type === 'Directory' && dir.startsWith(`${normalized}/`)),
  );
  return inside ? undefined : new UnsafeArchiveError(path, 'outside the auth directories');
}

/** Feeds the archive to a tar Parser/Unpack and resolves when it is done; its warnings are errors (strict). */
function parse(archive: Buffer, stream: Parser): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.on('error', reject);
    // 'close' comes after 'end', which Unpack emits once the last file is on disk.
    stream.on('close', () => resolve());
    try {
      stream.end(archive);
    } catch (err) {
      reject(err);
    }
  });
}

/** tar + gzip of files read by readProfileFiles: built from memory, so it holds exactly the bytes that were hashed. */
export async function packFiles(files: readonly ProfileFile[]): Promise<Buffer> {
  const packer = new Pack({ gzip: true, portable: true });
  const done = packer.concat();
  const mtime = new Date();
  for (const file of files) {
    const entry = new ReadEntry(new Header({ path: file.path, type: 'File', mode: 0o600, size: file.data.length, mtime }));
    packer.add(entry);
    entry.end(file.data);
  }
  packer.end();
  return done;
}

/** Relative paths of the regular files under the auth directories, sorted. */
async function listSelected(profileDir: string): Promise<string[]> {
  const paths: string[] = [];
  for (const dir of PROFILE_AUTH_DIRS) {
    const root = join(profileDir, ...dir.split('/'));
    let entries;
    try {
      entries = await readdir(root, { recursive: true, withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') continue;
      throw err;
    }
    for (const e of entries) {
      if (!e.isFile() || SKIPPED_NAMES.has(e.name)) continue;
      const rel = join(e.parentPath, e.name).slice(root.length + 1).split(sep).join('/');
      paths.push(`${dir}/${rel}`);
    }
  }
  return paths.sort(compare);
}

/** The files' contents, or undefined when one vanished meanwhile (the listing is stale: start over). */
async function readAll(profileDir: string, paths: readonly string[]): Promise<ProfileFile[] | undefined> {
  const files: ProfileFile[] = [];
  for (const path of paths) {
    try {
      files.push({ path, data: await readFile(join(profileDir, ...path.split('/'))) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }
  return files;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

/** Code-unit order: the same on every machine, whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
