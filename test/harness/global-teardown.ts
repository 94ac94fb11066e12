import { stopTestServices, type TestServices } from './services';

export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as Record<string, unknown>).__OMC_TEST_SERVICES__ as TestServices | undefined;
  if (services) await stopTestServices(services);
}
