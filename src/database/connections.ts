import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { startFerretDb } from './embedded/ferretdb';
import { FERRETDB_PG_DATABASE, ferretDbPostgresUrl, startPostgres } from './embedded/postgres';
import { ManagedProcess } from './embedded/process-utils';
import { startRedisServer } from './embedded/redis-server';

/** The MongoDB and Redis the app talks to, after embedded defaults were started. */
export class Connections {
  constructor(
    readonly mongodbUri: string,
    readonly redisUrl: string,
    /** Processes this server started, in start order; stopped last at shutdown, in reverse. */
    readonly owned: ManagedProcess[] = [],
    /** Set when MONGODB_URI is a FerretDB over this PostgreSQL: the GIN indexes go there. */
    readonly ferretdbPostgresqlUrl?: string,
  ) {}

  /** FerretDB before the PostgreSQL it writes to. */
  async stopOwned(): Promise<void> {
    for (const p of [...this.owned].reverse()) await p.stop();
  }
}

interface EmbeddedStore {
  mongodbUri: string;
  ferretdbPostgresqlUrl?: string;
}

/** FerretDB over a private PostgreSQL cluster in DATA_DIR/postgresql, or over SQLite when asked for. */
async function startEmbeddedStore(config: AppConfig, owned: ManagedProcess[]): Promise<EmbeddedStore> {
  const { storage } = config;
  const common = { bin: storage.ferretdbBin, port: storage.embeddedMongoPort, stateDir: join(storage.dataDir, 'ferretdb') };
  if (storage.embeddedStore === 'sqlite') {
    const store = await startFerretDb({ ...common, backend: { handler: 'sqlite', sqliteDir: join(storage.dataDir, 'ferretdb') } });
    owned.push(store.process);
    return { mongodbUri: store.uri };
  }
  const pg = await startPostgres({ dataDir: join(storage.dataDir, 'postgresql') });
  owned.push(pg.process);
  const store = await startFerretDb({ ...common, backend: { handler: 'postgresql', postgresqlUrl: ferretDbPostgresUrl(pg) } });
  owned.push(store.process);
  return { mongodbUri: store.uri, ferretdbPostgresqlUrl: pg.url(FERRETDB_PG_DATABASE) };
}

/** Uses MONGODB_URI / REDIS_URL when set; otherwise starts the embedded store / redis-server. */
export async function resolveConnections(config: AppConfig): Promise<Connections> {
  const owned: ManagedProcess[] = [];
  const stopAll = () => new Connections('', '', owned).stopOwned();
  try {
    let mongodbUri = config.storage.mongodbUri;
    let ferretdbPostgresqlUrl = config.storage.ferretdbPostgresqlUrl;
    if (!mongodbUri) ({ mongodbUri, ferretdbPostgresqlUrl } = await startEmbeddedStore(config, owned));
    let redisUrl = config.storage.redisUrl;
    if (!redisUrl) {
      const redis = await startRedisServer({
        bin: config.storage.redisServerBin,
        port: config.storage.embeddedRedisPort,
        dataDir: join(config.storage.dataDir, 'redis'),
      });
      redisUrl = redis.url;
      owned.push(redis.process);
    }
    return new Connections(mongodbUri, redisUrl, owned, ferretdbPostgresqlUrl);
  } catch (err) {
    await stopAll();
    throw err;
  }
}
