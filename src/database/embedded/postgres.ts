import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { EmbeddedPostgresError, PostgresRunAs, letPostgresEnter, postgresRunAs, traversable } from './postgres-user';
import { ManagedProcess, failWithTail, spawnManaged, stopLeftover, waitFor } from './process-utils';

const run = promisify(execFile);
const PG_ROOT = '/usr/lib/postgresql';
/** Where the cluster goes when, run as root, the postgres user cannot reach DATA_DIR (e.g. under /root, mode 0700). */
const ROOT_FALLBACK = '/var/lib/omnichannel-server';
/** The database FerretDB keeps its schemas (one per MongoDB database) in. */
export const FERRETDB_PG_DATABASE = 'ferretdb';

export interface PostgresOptions {
  /** The cluster's data directory (DATA_DIR/postgresql); may end up a symlink, see ROOT_FALLBACK. */
  dataDir: string;
  /** Only names the socket file (`.s.PGSQL.<port>`): the cluster never listens on TCP. */
  port?: number;
  /** false: fsync and synchronous commit off, for throwaway test clusters. Default true. */
  durable?: boolean;
  /** More `-c name=value` settings (the EXPLAIN test loads auto_explain). */
  settings?: Record<string, string>;
}

export interface RunningPostgres {
  socketDir: string;
  port: number;
  major: number;
  dataDir: string;
  /** libpq URL over the unix socket, as postgres (trust auth; only the owner can reach the socket). */
  url(database: string, params?: Record<string, string | number>): string;
  process: ManagedProcess;
}

export { EmbeddedPostgresError };

function installedMajors(): number[] {
  if (!existsSync(PG_ROOT)) return [];
  return readdirSync(PG_ROOT)
    .filter((d) => /^\d+$/.test(d) && existsSync(join(PG_ROOT, d, 'bin', 'postgres')))
    .map(Number)
    .sort((a, b) => a - b);
}

/** The installed major the data directory needs: its own if initialised, the newest otherwise. */
export function chooseMajor(dataDir: string, installed = installedMajors()): number {
  if (installed.length === 0)
    throw new EmbeddedPostgresError(`PostgreSQL is not installed (no ${PG_ROOT}/<major>/bin/postgres): run scripts/setup.sh, or set MONGODB_URI`);
  const versionFile = join(dataDir, 'PG_VERSION');
  if (!existsSync(versionFile)) return installed[installed.length - 1];
  const major = Number(readFileSync(versionFile, 'utf8').trim());
  if (!installed.includes(major))
    throw new EmbeddedPostgresError(
      `The embedded PostgreSQL data in ${dataDir} was created by PostgreSQL ${major}, but this machine has ${installed.join(', ')}: ` +
        `install postgresql-${major}, or move the directory away (pg_upgrade or dump/restore to keep its data)`,
    );
  return major;
}

/** Resolves (and, as root, prepares) the data directory the postgres user will run on. */
function prepareDataDir(dataDir: string, runAs: PostgresRunAs | undefined): string {
  const parent = dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  if (runAs) letPostgresEnter(parent, runAs);
  if (existsSync(dataDir)) return realpathSync(dataDir);
  let target = dataDir;
  if (runAs && !traversable(parent, runAs)) {
    target = join(ROOT_FALLBACK, `postgresql-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`);
    mkdirSync(ROOT_FALLBACK, { recursive: true, mode: 0o755 });
  }
  mkdirSync(target, { recursive: true, mode: 0o700 });
  if (target !== dataDir) symlinkSync(target, dataDir);
  if (runAs) chownSync(target, runAs.uid, runAs.gid);
  return target;
}

/** The socket lives in the data directory unless that path is too long for a unix socket (107 bytes). */
function socketDirFor(dataDir: string, port: number, runAs: PostgresRunAs | undefined): string {
  if (Buffer.byteLength(join(dataDir, `.s.PGSQL.${port}`)) < 107) return dataDir;
  const dir = join(tmpdir(), `omc-pg-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);
  return dir;
}

function pgUrl(socketDir: string, port: number, database: string, params: Record<string, string | number> = {}): string {
  const query = new URLSearchParams({ host: socketDir, port: String(port), ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) });
  return `postgres://postgres@/${encodeURIComponent(database)}?${query.toString()}`;
}

async function canQuery(socketDir: string, port: number): Promise<boolean> {
  const client = new Client({ host: socketDir, port, user: 'postgres', database: 'postgres' });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureDatabase(socketDir: string, port: number, database: string): Promise<void> {
  const client = new Client({ host: socketDir, port, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/**
 * A private PostgreSQL cluster (Debian's binaries) on a unix socket only, run as the postgres
 * user when this process is root (initdb and postgres refuse root). A cluster left running by
 * a crashed server on the same data directory is shut down first; a stale postmaster.pid
 * (its pid dead or someone else's) is removed.
 */
export async function startPostgres(opts: PostgresOptions): Promise<RunningPostgres> {
  const runAs = postgresRunAs();
  const port = opts.port ?? 5432;
  const dataDir = prepareDataDir(opts.dataDir, runAs);
  const major = chooseMajor(dataDir);
  const bin = join(PG_ROOT, String(major), 'bin');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', HOME: dataDir };
  const ids = runAs ? { uid: runAs.uid, gid: runAs.gid } : {};

  await stopLeftover(join(dataDir, 'postmaster.pid'), [join(bin, 'postgres'), `-D ${dataDir}`], 'SIGINT', 60_000);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    const args = ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C'];
    if (opts.durable === false) args.push('--no-sync');
    try {
      await run(join(bin, 'initdb'), args, { ...ids, env });
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new EmbeddedPostgresError(`initdb failed for ${dataDir}: ${(e.stderr ?? e.message).trim().split('\n').pop()}`);
    }
  }

  const socketDir = socketDirFor(dataDir, port, runAs);
  const durable = opts.durable !== false;
  const settings: Record<string, string> = {
    listen_addresses: '',
    unix_socket_directories: socketDir,
    unix_socket_permissions: '0700',
    port: String(port),
    // FerretDB passes the JSON field name as a parameter: a generic plan cannot pick the GIN index.
    plan_cache_mode: 'force_custom_plan',
    jit: 'off',
    // FerretDB pools at most 16 connections per process (see ferretDbPostgresUrl).
    max_connections: '100',
    shared_buffers: '128MB',
    fsync: durable ? 'on' : 'off',
    synchronous_commit: durable ? 'on' : 'off',
    full_page_writes: durable ? 'on' : 'off',
    ...opts.settings,
  };
  const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const tail: string[] = [];
  const { child, handle } = spawnManaged('postgres', join(bin, 'postgres'), args, tail, {
    ...ids,
    env,
    // SIGINT is PostgreSQL's "fast" shutdown (SIGTERM would wait for FerretDB's pool to disconnect).
    stopSignal: 'SIGINT',
    stopTimeoutMs: 30_000,
  });
  try {
    await waitFor(() => canQuery(socketDir, port), 60_000, child, 'postgres', 'accepting connections');
    await ensureDatabase(socketDir, port, FERRETDB_PG_DATABASE);
  } catch (err) {
    return failWithTail(handle, err, tail);
  }
  return {
    socketDir,
    port,
    major,
    dataDir,
    url: (database, params) => pgUrl(socketDir, port, database, params),
    process: handle,
  };
}

/** FerretDB's backend URL, its pool capped (it defaults to 50: a few processes would exhaust max_connections). */
export function ferretDbPostgresUrl(pg: RunningPostgres, poolMaxConns = 16): string {
  return pg.url(FERRETDB_PG_DATABASE, { pool_max_conns: poolMaxConns });
}
