import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFerretDb } from '../../src/database/embedded/ferretdb';
import { FERRETDB_PG_DATABASE, ferretDbPostgresUrl, startPostgres } from '../../src/database/embedded/postgres';
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
  /** The PostgreSQL behind mongodbUri's FerretDB (absent on SQLite or MONGODB_URI). */
  ferretdbPostgresqlUrl?: string;
  /** In start order; stop in reverse (FerretDB before its PostgreSQL). */
  processes: ManagedProcess[];
}

export async function stopTestServices(services: TestServices): Promise<void> {
  for (const p of [...services.processes].reverse()) await p.stop();
}

/**
 * The embedded store the server defaults to, once per run: a private PostgreSQL cluster (unix
 * socket, in a temp dir, fsync off) with FerretDB over it, plus a private redis-server, unless
 * MONGODB_URI / REDIS_URL point at servers to use instead (the suite also runs on MongoDB).
 * EMBEDDED_STORE=sqlite runs FerretDB on SQLite instead, as the server would.
 */
export async function startTestServices(env: NodeJS.ProcessEnv = process.env): Promise<TestServices> {
  const services: TestServices = { mongodbUri: env.MONGODB_URI ?? '', redisUrl: env.REDIS_URL ?? '', processes: [] };
  const root = mkdtempSync(join(tmpdir(), 'omc-test-'));
  try {
    if (!services.mongodbUri) {
      const port = await freePort();
      const stateDir = join(root, 'ferretdb');
      if (env.EMBEDDED_STORE === 'sqlite') {
        const store = await startFerretDb({ bin: env.FERRETDB_BIN, port, stateDir, backend: { handler: 'sqlite', sqliteDir: stateDir } }, 'test');
        services.processes.push(store.process);
        services.mongodbUri = store.uri;
      } else {
        const pg = await startPostgres({ dataDir: join(root, 'postgresql'), durable: false });
        services.processes.push(pg.process);
        // Every worker's apps share this FerretDB: a larger pool than one server's.
        const backend = { handler: 'postgresql' as const, postgresqlUrl: ferretDbPostgresUrl(pg, 32) };
        const store = await startFerretDb({ bin: env.FERRETDB_BIN, port, stateDir, backend }, 'test');
        services.processes.push(store.process);
        services.mongodbUri = store.uri;
        services.ferretdbPostgresqlUrl = pg.url(FERRETDB_PG_DATABASE);
      }
    }
    if (!services.redisUrl) {
      const redis = await startRedisServer({ port: await freePort(), dataDir: join(root, 'redis') });
      services.processes.push(redis.process);
      services.redisUrl = redis.url;
    }
  } catch (err) {
    await stopTestServices(services);
    throw err;
  }
  return services;
}

/** The same server, another database: suites never see each other's data. */
export function withDatabase(uri: string, database: string): string {
  const u = new URL(uri);
  u.pathname = `/${database}`;
  return u.toString();
}
