import { startTestServices } from './services';

/**
 * Starts the real services once for the whole e2e run. Workers inherit the environment
 * set here (they are spawned after global setup).
 */
export default async function globalSetup(): Promise<void> {
  const services = await startTestServices();
  process.env.MONGODB_URI = services.mongodbUri;
  process.env.REDIS_URL = services.redisUrl;
  if (services.ferretdbPostgresqlUrl) process.env.FERRETDB_POSTGRESQL_URL = services.ferretdbPostgresqlUrl;
  (globalThis as Record<string, unknown>).__OMC_TEST_SERVICES__ = services;
}
