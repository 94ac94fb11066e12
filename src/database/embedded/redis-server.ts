import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ManagedProcess, failWithTail, isPortOpen, spawnManaged, stopLeftover, waitForPort } from './process-utils';

export interface RedisServerOptions {
  bin?: string;
  port: number;
  dataDir: string;
}

export interface RunningRedis {
  url: string;
  process: ManagedProcess;
}

/**
 * A private redis-server with AOF on (fsync every second) and `noeviction`: queue data
 * must survive a restart and must never be evicted under memory pressure. A redis-server
 * left by a crashed server on this data directory (its pid file, its port) is stopped first
 * (it flushes its AOF on SIGTERM), so every running one belongs to exactly one live server.
 */
export async function startRedisServer(opts: RedisServerOptions): Promise<RunningRedis> {
  const url = `redis://127.0.0.1:${opts.port}`;
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const pidFile = join(opts.dataDir, 'redis-server.pid');
  // redis-server rewrites its title to "redis-server 127.0.0.1:<port>".
  await stopLeftover(pidFile, ['redis-server', `:${opts.port}`]);
  if (await isPortOpen(opts.port)) throw new Error(`port ${opts.port} (EMBEDDED_REDIS_PORT) is in use by a process this server did not start`);
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
  const { child, handle } = spawnManaged('redis-server', opts.bin ?? 'redis-server', args, tail, { pidFile });
  try {
    await waitForPort(opts.port, 15_000, child, 'redis-server');
  } catch (err) {
    return failWithTail(handle, err, tail);
  }
  return { url, process: handle };
}
