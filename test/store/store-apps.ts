import { DynamicModule, INestApplicationContext, Provider } from '@nestjs/common';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import { Test } from '@nestjs/testing';
import type { Connection } from 'mongoose';
import { loadConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { Connections } from '../../src/database/connections';
import { RedisModule } from '../../src/redis/redis.module';
import { FerretDbStoreAdapter } from '../../src/store/ferretdb-store.adapter';
import { LocalStoreLock } from '../../src/store/local-store-lock';
import { StoreAdapter } from '../../src/store/store-adapter';
import { identifyStore } from '../../src/store/store-identity';
import { StoreModule } from '../../src/store/store.module';
import { testEnv } from '../harness/test-app';

/**
 * A server's store stack without the rest of the app: its own MongoDB connection, its own Redis
 * connection and its own StoreAdapter, as each server process has. `inProcessLockOnly` puts the
 * old kind of lock (a mutex map in this process) under the same DI token, to show what it loses.
 * `imports`/`providers` add the repository under test (e.g. a model and its repository).
 */
export async function startStoreApp(
  database: string,
  opts: { inProcessLockOnly?: boolean; imports?: DynamicModule[]; providers?: Provider[] } = {},
): Promise<INestApplicationContext> {
  const config = loadConfig(testEnv(database, { QUEUE_PREFIX: database }));
  const connections = new Connections(config.storage.mongodbUri!, config.storage.redisUrl!);
  let builder = Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      MongooseModule.forRoot(connections.mongodbUri, { retryWrites: false }),
      RedisModule.forRoot(connections, config.storage.queuePrefix),
      StoreModule.forRoot(),
      ...(opts.imports ?? []),
    ],
    providers: opts.providers ?? [],
  });
  if (opts.inProcessLockOnly)
    builder = builder.overrideProvider(StoreAdapter).useFactory({
      factory: async (connection: Connection) => {
        const identity = await identifyStore((await connection.asPromise()).db!);
        return new FerretDbStoreAdapter(identity, new LocalStoreLock());
      },
      inject: [getConnectionToken()],
    });
  const moduleRef = await builder.compile();
  moduleRef.enableShutdownHooks();
  return moduleRef.init();
}
