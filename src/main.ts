import 'reflect-metadata';
import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig } from './config/app-config';
import { resolveConnections } from './database/connections';
import { EmbeddedPostgresError } from './database/embedded/postgres-user';
import { FORCE_EXIT_MS, GracefulShutdown } from './lifecycle/graceful-shutdown';
import { HttpDrain } from './lifecycle/http-drain';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      // One clear line naming the setting, then stop.
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }

  const connections = await resolveConnections(config);
  const app = await createApp(config, connections);
  const logger = new Logger('Main');

  // Libraries (puppeteer during logout re-injection, for one) can reject without a handler:
  // log it, never let it kill the process.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'Unhandled promise rejection'));

  const http = new HttpDrain(app.getHttpServer() as Server);
  app.use(http.middleware);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    const force = setTimeout(() => {
      logger.error(`Shutdown did not finish within ${FORCE_EXIT_MS} ms: exiting`);
      process.exit(1);
    }, FORCE_EXIT_MS);
    force.unref();
    try {
      await new GracefulShutdown(app, http, connections).run(signal);
    } catch (err) {
      logger.error({ err }, 'Shutdown failed');
      await connections.stopOwned().catch(() => undefined);
      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen(config.http.port, config.http.host);
  logger.log(
    `Listening on ${config.http.host}:${config.http.port} (docs at ${config.http.publicBaseUrl}/docs; ` +
      `MongoDB ${config.storage.mongodbUri ? 'from MONGODB_URI' : 'embedded FerretDB'}, ` +
      `Redis ${config.storage.redisUrl ? 'from REDIS_URL' : 'embedded redis-server'}; ` +
      `admin key ${config.security.adminApiKeyFile ? `in ${config.security.adminApiKeyFile}` : 'from ADMIN_API_KEY'})`,
  );
}

main().catch((err: unknown) => {
  // Something the operator must fix (an old data directory, a missing package): one line says what.
  if (err instanceof EmbeddedPostgresError) {
    process.stderr.write(`Failed to start: ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`Failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
