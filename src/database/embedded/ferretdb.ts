import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ManagedProcess, isPortOpen, spawnManaged, waitForPort } from './process-utils';

export const FERRETDB_VERSION = 'v1.24.2';

/** Where scripts/build-ferretdb.sh caches the binary: once per machine, shared by clones. */
export function defaultFerretDbBinary(): string {
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(cache, 'omnichannel-server', `ferretdb-${FERRETDB_VERSION}`);
}

export interface FerretDbOptions {
  bin?: string;
  port: number;
  /** SQLite files live here; survives restarts. */
  dataDir: string;
  /** When the port already answers (a FerretDB left by an earlier run), use it instead. */
  reuseRunning?: boolean;
}

export interface RunningStore {
  uri: string;
  process?: ManagedProcess;
}

export async function startFerretDb(opts: FerretDbOptions, database = 'omnichannel'): Promise<RunningStore> {
  const uri = `mongodb://127.0.0.1:${opts.port}/${database}`;
  if (opts.reuseRunning && (await isPortOpen(opts.port))) return { uri };
  const bin = opts.bin ?? defaultFerretDbBinary();
  if (!existsSync(bin))
    throw new Error(`FerretDB binary not found at ${bin}: run scripts/setup.sh (or set MONGODB_URI to a MongoDB server)`);
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const tail: string[] = [];
  const { child, handle } = spawnManaged('ferretdb', bin, ['--listen', `127.0.0.1:${opts.port}`, '--handler', 'sqlite', '--sqlite-dir', opts.dataDir], tail);
  try {
    await waitForPort(opts.port, 30_000, child, 'ferretdb');
  } catch (err) {
    await handle.stop();
    throw new Error(`${(err as Error).message}\n${tail.join('\n')}`);
  }
  return { uri, process: handle };
}
