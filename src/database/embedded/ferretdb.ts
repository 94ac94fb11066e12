import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess, failWithTail, isPortOpen, spawnManaged, stopLeftover, waitForPort } from './process-utils';

export const FERRETDB_VERSION = 'v1.24.2';

/** Where scripts/build-ferretdb.sh caches the binary: once per machine, shared by clones. */
export function defaultFerretDbBinary(): string {
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(cache, 'omnichannel-server', `ferretdb-${FERRETDB_VERSION}`);
}

export type FerretDbBackend = { handler: 'postgresql'; postgresqlUrl: string } | { handler: 'sqlite'; sqliteDir: string };

export interface FerretDbOptions {
  bin?: string;
  port: number;
  backend: FerretDbBackend;
  /** Holds ferretdb.pid, so a restarted server can stop the FerretDB a crashed one left. */
  stateDir: string;
}

export interface RunningStore {
  uri: string;
  process: ManagedProcess;
}

export async function startFerretDb(opts: FerretDbOptions, database = 'omnichannel'): Promise<RunningStore> {
  const uri = `mongodb://127.0.0.1:${opts.port}/${database}`;
  const bin = opts.bin ?? defaultFerretDbBinary();
  if (!existsSync(bin))
    throw new Error(`FerretDB binary not found at ${bin}: run scripts/setup.sh (or set MONGODB_URI to a MongoDB server)`);
  mkdirSync(opts.stateDir, { recursive: true, mode: 0o700 });
  const listen = `127.0.0.1:${opts.port}`;
  const pidFile = join(opts.stateDir, 'ferretdb.pid');
  await stopLeftover(pidFile, [bin, `--listen ${listen}`]);
  if (await isPortOpen(opts.port)) throw new Error(`port ${opts.port} (EMBEDDED_MONGO_PORT) is in use by a process this server did not start`);
  const backendArgs =
    opts.backend.handler === 'postgresql'
      ? ['--handler', 'postgresql', '--postgresql-url', opts.backend.postgresqlUrl]
      : ['--handler', 'sqlite', '--sqlite-dir', opts.backend.sqliteDir];
  if (opts.backend.handler === 'sqlite') mkdirSync(opts.backend.sqliteDir, { recursive: true, mode: 0o700 });
  const tail: string[] = [];
  const { child, handle } = spawnManaged('ferretdb', bin, ['--listen', listen, ...backendArgs], tail, { pidFile });
  try {
    await waitForPort(opts.port, 30_000, child, 'ferretdb');
  } catch (err) {
    return failWithTail(handle, err, tail);
  }
  return { uri, process: handle };
}
