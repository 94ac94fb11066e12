import { Type } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { Connections } from '../../src/database/connections';
import { freePort, withDatabase } from './services';

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  baseUrl: string;
  adminKey: string;
  /** Database name of this app (unique per app unless given). */
  database: string;
  close(): Promise<void>;
}

/** Environment a test app runs with: real services from global setup, private database and queue prefix. */
export function testEnv(database: string, overrides: Record<string, string> = {}): Record<string, string> {
  const mongodbUri = process.env.MONGODB_URI;
  const redisUrl = process.env.REDIS_URL;
  if (!mongodbUri || !redisUrl) throw new Error('e2e global setup did not provide MONGODB_URI and REDIS_URL');
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'omc-app-')),
    MONGODB_URI: withDatabase(mongodbUri, database),
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: database,
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    LINK_SIGNING_SECRET: 'test-link-signing-secret-0123456789abcdefghij',
    OUTBOUND_ALLOWED_HOSTS: '127.0.0.1,localhost',
    WHATSAPP_ENGINE: 'sandbox',
    SESSION_RESTORE_ON_BOOT: 'false',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // The limiter stays on in every suite, with budgets no functional test reaches (one key or
    // one IP, 127.0.0.1, makes thousands of calls a minute here); test/hardening/rate-limits
    // sets small ones to see it refuse.
    RATE_LIMIT_PER_KEY: '100000',
    RATE_LIMIT_ANONYMOUS: '50000',
    // The PostgreSQL behind the harness's FerretDB: each app gives its own database the GIN indexes.
    ...(process.env.FERRETDB_POSTGRESQL_URL ? { FERRETDB_POSTGRESQL_URL: process.env.FERRETDB_POSTGRESQL_URL } : {}),
    ...overrides,
  };
}

export function uniqueDatabase(prefix: string): string {
  return `t_${prefix.replace(/[^a-z0-9]/gi, '').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
}

/** Boots the real app in this process on a free port, exactly as main.ts wires it. */
export async function startTestApp(prefix: string, overrides: Record<string, string> = {}, extraModules: Type[] = []): Promise<TestApp> {
  const database = overrides.__DATABASE ?? uniqueDatabase(prefix);
  // A concrete port (not 0) so links the app builds from PUBLIC_BASE_URL point back at it.
  const port = Number(overrides.PORT ?? (await freePort()));
  const env = testEnv(database, { PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, ...overrides });
  delete env.__DATABASE;
  const config = loadConfig(env);
  const connections = new Connections(config.storage.mongodbUri!, config.storage.redisUrl!, [], config.storage.ferretdbPostgresqlUrl);
  const app = await createApp(config, connections, extraModules);
  await app.listen(port, '127.0.0.1');
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    adminKey: TEST_ADMIN_KEY,
    database,
    close: () => app.close(),
  };
}
