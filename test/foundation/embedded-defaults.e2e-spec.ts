import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPortOpen } from '../../src/database/embedded/process-utils';
import { ensureBuilt, spawnServer, waitForHttp } from '../harness/server-process';
import { freePort } from '../harness/services';

/**
 * The server as `bash scripts/serve.sh` runs it: no MONGODB_URI / REDIS_URL, so it starts
 * its own FerretDB and redis-server in DATA_DIR. Data must survive a restart.
 */
describe('embedded defaults (real process)', () => {
  let env: Record<string, string>;

  beforeAll(async () => {
    ensureBuilt();
    env = {
      DATA_DIR: mkdtempSync(join(tmpdir(), 'omc-embedded-')),
      PORT: String(await freePort()),
      EMBEDDED_MONGO_PORT: String(await freePort()),
      EMBEDDED_REDIS_PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    };
  });

  it('stops at boot with one clear line naming a bad setting', async () => {
    const server = spawnServer({ ...env, PORT: '99999' });
    expect(await server.exited).toBe(78);
    const lines = server.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: .*PORT/);
  });

  it('starts FerretDB and Redis itself, keeps data across a restart, and stops them on SIGTERM', async () => {
    const first = spawnServer(env);
    await waitForHttp(`${first.baseUrl}/health/ready`, first);
    const ready = await (await fetch(`${first.baseUrl}/health/ready`)).json();
    expect(ready.details.mongodb.status).toBe('up');
    expect(ready.details.redis.status).toBe('up');
    const docs = await fetch(`${first.baseUrl}/docs`);
    expect(docs.status).toBe(200);

    const adminKey = readFileSync(join(env.DATA_DIR, 'admin-api-key'), 'utf8').trim();
    const created = await fetch(`${first.baseUrl}/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientIdentifier: 'persisted-account' }),
    });
    expect(created.status).toBe(201);
    const { key } = await created.json();
    expect(first.output()).not.toContain(key);
    expect(first.output()).not.toContain(adminKey);

    expect(await first.stop('SIGTERM')).toBe(0);
    expect(await isPortOpen(Number(env.EMBEDDED_MONGO_PORT))).toBe(false);
    expect(await isPortOpen(Number(env.EMBEDDED_REDIS_PORT))).toBe(false);

    const second = spawnServer(env);
    try {
      await waitForHttp(`${second.baseUrl}/health/ready`, second);
      const me = await fetch(`${second.baseUrl}/me`, { headers: { authorization: `Bearer ${key}` } });
      expect(me.status).toBe(200);
      expect(await me.json()).toEqual({ clientIdentifier: 'persisted-account', admin: false });
    } finally {
      expect(await second.stop('SIGTERM')).toBe(0);
    }
  });
});
