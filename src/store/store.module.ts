import { DynamicModule, Global, Logger, Module, OnModuleDestroy } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { AppConfig } from '../config/app-config';
import { Connections } from '../database/connections';
import { RedisClient } from '../redis/redis.module';
import { FerretDbStoreAdapter } from './ferretdb-store.adapter';
import { MongoDbStoreAdapter } from './mongodb-store.adapter';
import { RedisStoreLock } from './redis-store-lock';
import { SqlPageReader } from './sql-page';
import { StoreAdapter } from './store-adapter';
import { identifyStore } from './store-identity';
import { StoreMigrations } from './store-migrations';

export interface StoreModuleOptions {
  /** FerretDB's backend ('sqlite' | 'postgresql') when the caller knows it (FerretDB 1.24 does not say). */
  backend?: string;
}

/** What this server knows of FerretDB's backend: the embedded store it started, or the PostgreSQL it was given. */
function knownBackend(config: AppConfig, connections?: Connections): string | undefined {
  if (connections?.ferretdbPostgresqlUrl) return 'postgresql';
  return config.storage.mongodbUri === undefined ? config.storage.embeddedStore : undefined;
}

/** Builds the adapter for the store the connection talks to (asked once, at boot). */
export async function createStoreAdapter(
  connection: Connection,
  redis: RedisClient,
  config: AppConfig,
  options: StoreModuleOptions = {},
  connections?: Connections,
): Promise<StoreAdapter> {
  await connection.asPromise();
  const identity = await identifyStore(connection.db!, options.backend ?? knownBackend(config, connections));
  const logger = new Logger('StoreAdapter');
  // Lists are paged in FerretDB's PostgreSQL when this server knows it (docs/store.md, Totals).
  const pgUrl = identity.kind === 'ferretdb' ? connections?.ferretdbPostgresqlUrl : undefined;
  const sqlPages = pgUrl ? SqlPageReader.connect(pgUrl, (err) => logger.warn({ err }, 'idle PostgreSQL connection of the page reader failed')) : undefined;
  const adapter =
    identity.kind === 'mongodb'
      ? new MongoDbStoreAdapter(identity)
      : new FerretDbStoreAdapter(identity, new RedisStoreLock(redis.redis, { prefix: config.storage.queuePrefix }), undefined, undefined, sqlPages);
  logger.log({ ...identity }, `Store: ${identity.kind} ${identity.version}${identity.backend ? ` on ${identity.backend}` : ''}`);
  return adapter;
}

/** The StoreAdapter for every module (global: repositories inject it by its class). */
@Global()
@Module({})
export class StoreModule implements OnModuleDestroy {
  constructor(private readonly store: StoreAdapter) {}

  /** Before the database module's owned processes stop (they stop after the app closed). */
  async onModuleDestroy(): Promise<void> {
    await this.store.close();
  }

  static forRoot(options: StoreModuleOptions = {}): DynamicModule {
    return {
      module: StoreModule,
      providers: [
        {
          provide: StoreAdapter,
          useFactory: (connection: Connection, redis: RedisClient, config: AppConfig, connections?: Connections) =>
            createStoreAdapter(connection, redis, config, options, connections),
          inject: [getConnectionToken(), RedisClient, AppConfig, { token: Connections, optional: true }],
        },
        StoreMigrations,
      ],
      exports: [StoreAdapter, StoreMigrations],
    };
  }
}
