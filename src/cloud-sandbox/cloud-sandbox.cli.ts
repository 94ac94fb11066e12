import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CloudSandboxServer } from './cloud-sandbox-server';
import { parseConfig } from './control-api.routes';

/**
 * `node dist/cloud-sandbox/cloud-sandbox.cli.js --port 8089 [--host 127.0.0.1] [--numbers numbers.json]
 * [--control-token T]`. numbers.json is an array of number configs (see docs/cloud-api-fake.md).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8089' },
      host: { type: 'string', default: '127.0.0.1' },
      numbers: { type: 'string' },
      'control-token': { type: 'string' },
    },
  });
  const numbers = values.numbers ? (JSON.parse(readFileSync(values.numbers, 'utf8')) as Array<Record<string, unknown>>) : [];
  const server = new CloudSandboxServer({
    host: values.host,
    port: Number(values.port),
    numbers: numbers.map((n) => ({ ...parseConfig(n), templates: n.templates as never })),
    controlToken: values['control-token'],
  });
  const url = await server.start();
  process.stdout.write(`cloud-sandbox listening on ${url}\n`);
  const stop = (): void => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`cloud-sandbox failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
