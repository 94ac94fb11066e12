import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFerretDb } from '../../src/database/embedded/ferretdb';
import { ManagedProcess } from '../../src/database/embedded/process-utils';
import { startRedisServer } from '../../src/database/embedded/redis-server';

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface TestServices {
  mongodbUri: string;
  redisUrl: string;
  processes: ManagedProcess[];
}

/**
 * Real FerretDB (SQLite in a temp dir) and a private redis-server on free ports, unless
 * MONGODB_URI / REDIS_URL point at servers to use instead (the suite also runs on MongoDB).
 */
export async function startTestServices(env: NodeJS.ProcessEnv = process.env): Promise<TestServices> {
  const processes: ManagedProcess[] = [];
  const root = mkdtempSync(join(tmpdir(), 'omc-test-'));
  let mongodbUri = env.MONGODB_URI;
  if (!mongodbUri) {
    const store = await startFerretDb({ bin: env.FERRETDB_BIN, port: await freePort(), dataDir: join(root, 'ferretdb') }, 'test');
    mongodbUri = store.uri;
    if (store.process) processes.push(store.process);
  }
  let redisUrl = env.REDIS_URL;
  if (!redisUrl) {
    const redis = await startRedisServer({ port: await freePort(), dataDir: join(root, 'redis') });
    redisUrl = redis.url;
    if (redis.process) processes.push(redis.process);
  }
  return { mongodbUri, redisUrl, processes };
}

/** The same server, another database: suites never see each other's data. */
export function withDatabase(uri: string, database: string): string {
  const u = new URL(uri);
  u.pathname = `/${database}`;
  return u.toString();
}
