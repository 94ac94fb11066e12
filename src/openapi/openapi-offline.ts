import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { AppConfig, loadConfig } from '../config/app-config';
import { Connections } from '../database/connections';
import { buildOpenApi } from './openapi-document';
import type { OpenApiDocument } from './openapi-types';

/**
 * Settings for a document built away from any server. Every value the document shows is fixed
 * (`servers` names localhost:3000) so that the SDK types generated from it do not depend on the
 * machine; the secrets only satisfy validation, no key is ever checked.
 */
export const OFFLINE_ENV = {
  PUBLIC_BASE_URL: 'http://localhost:3000',
  ADMIN_API_KEY: 'offline-openapi-document-admin-key',
  LINK_SIGNING_SECRET: 'offline-openapi-document-link-signing-secret',
  MONGODB_URI: 'mongodb://127.0.0.1:1/unused',
  REDIS_URL: 'redis://127.0.0.1:1',
} as const;

/**
 * The document the server serves at /docs-json, built without listening or connecting: Nest's
 * preview mode scans the modules and controllers (all the document needs) but instantiates no
 * provider, so no database, Redis or browser is touched. `npm run sdk:generate` starts here.
 */
export async function buildOpenApiOffline(config: AppConfig = loadConfig({ ...OFFLINE_ENV })): Promise<OpenApiDocument> {
  const connections = new Connections(config.storage.mongodbUri ?? OFFLINE_ENV.MONGODB_URI, config.storage.redisUrl ?? OFFLINE_ENV.REDIS_URL);
  const app = await NestFactory.create(AppModule.forRoot(config, connections), { preview: true, logger: false, abortOnError: false });
  // Not closed: close() would run shutdown hooks on providers that preview mode never constructed.
  return buildOpenApi(app);
}
