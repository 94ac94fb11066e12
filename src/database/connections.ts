import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { startFerretDb } from './embedded/ferretdb';
import { ManagedProcess } from './embedded/process-utils';
import { startRedisServer } from './embedded/redis-server';

/** The MongoDB and Redis the app talks to, after embedded defaults were started. */
export class Connections {
  constructor(
    readonly mongodbUri: string,
    readonly redisUrl: string,
    /** Processes this server started (embedded FerretDB/redis); stopped last at shutdown. */
    readonly owned: ManagedProcess[] = [],
  ) {}

  async stopOwned(): Promise<void> {
    await Promise.all(this.owned.map((p) => p.stop()));
  }
}

/** Uses MONGODB_URI / REDIS_URL when set; otherwise starts embedded FerretDB / redis-server. */
export async function resolveConnections(config: AppConfig): Promise<Connections> {
  const owned: ManagedProcess[] = [];
  let mongodbUri = config.storage.mongodbUri;
  if (!mongodbUri) {
    const store = await startFerretDb({
      bin: config.storage.ferretdbBin,
      port: config.storage.embeddedMongoPort,
      dataDir: join(config.storage.dataDir, 'ferretdb'),
      reuseRunning: true,
    });
    mongodbUri = store.uri;
    if (store.process) owned.push(store.process);
  }
  let redisUrl = config.storage.redisUrl;
  if (!redisUrl) {
    try {
      const redis = await startRedisServer({
        bin: config.storage.redisServerBin,
        port: config.storage.embeddedRedisPort,
        dataDir: join(config.storage.dataDir, 'redis'),
        reuseRunning: true,
      });
      redisUrl = redis.url;
      if (redis.process) owned.push(redis.process);
    } catch (err) {
      await Promise.all(owned.map((p) => p.stop()));
      throw err;
    }
  }
  return new Connections(mongodbUri, redisUrl, owned);
}
