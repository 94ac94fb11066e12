import { mkdirSync } from 'node:fs';
import { ManagedProcess, isPortOpen, spawnManaged, waitForPort } from './process-utils';

export interface RedisServerOptions {
  bin?: string;
  port: number;
  dataDir: string;
  reuseRunning?: boolean;
}

export interface RunningRedis {
  url: string;
  process?: ManagedProcess;
}

/**
 * A private redis-server with AOF on (fsync every second) and `noeviction`: queue data
 * must survive a restart and must never be evicted under memory pressure.
 */
export async function startRedisServer(opts: RedisServerOptions): Promise<RunningRedis> {
  const url = `redis://127.0.0.1:${opts.port}`;
  if (opts.reuseRunning && (await isPortOpen(opts.port))) return { url };
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const args = [
    '--port', String(opts.port),
    '--bind', '127.0.0.1',
    '--dir', opts.dataDir,
    '--appendonly', 'yes',
    '--appendfsync', 'everysec',
    '--save', '',
    '--maxmemory-policy', 'noeviction',
    '--daemonize', 'no',
    '--protected-mode', 'yes',
  ];
  const tail: string[] = [];
  const { child, handle } = spawnManaged('redis-server', opts.bin ?? 'redis-server', args, tail);
  try {
    await waitForPort(opts.port, 15_000, child, 'redis-server');
  } catch (err) {
    await handle.stop();
    throw new Error(`${(err as Error).message}\n${tail.join('\n')}`);
  }
  return { url, process: handle };
}
