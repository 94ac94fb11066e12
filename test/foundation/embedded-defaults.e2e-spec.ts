import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { isPortOpen } from '../../src/database/embedded/process-utils';
import { embeddedProcesses } from '../harness/embedded-processes';
import { ensureBuilt, spawnServer, waitForHttp } from '../harness/server-process';
import { freePort } from '../harness/services';

/**
 * The server as `bash scripts/serve.sh` runs it: no MONGODB_URI / REDIS_URL, so it starts
 * its own PostgreSQL cluster, FerretDB over it and redis-server in DATA_DIR. Data must survive
 * a restart; the services belong to exactly one live server.
 */
type ServerEnv = { DATA_DIR: string; PORT: string; EMBEDDED_MONGO_PORT: string; EMBEDDED_REDIS_PORT: string; LOG_LEVEL: string };

describe('embedded defaults (real process)', () => {
  let env: ServerEnv;

  const newEnv = async (): Promise<ServerEnv> => ({
    DATA_DIR: mkdtempSync(join(tmpdir(), 'omc-embedded-')),
    PORT: String(await freePort()),
    EMBEDDED_MONGO_PORT: String(await freePort()),
    EMBEDDED_REDIS_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  });

  beforeAll(async () => {
    ensureBuilt();
    env = await newEnv();
  });

  it('stops at boot with one clear line naming a bad setting', async () => {
    const server = spawnServer({ ...env, PORT: '99999' });
    expect(await server.exited).toBe(78);
    const lines = server.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid configuration: .*PORT/);
  });

  it('starts PostgreSQL, FerretDB and Redis itself, keeps data across a restart, and stops them on SIGTERM', async () => {
    const first = spawnServer(env);
    await waitForHttp(`${first.baseUrl}/health/ready`, first);
    const ready = await (await fetch(`${first.baseUrl}/health/ready`)).json();
    expect(ready.details.mongodb.status).toBe('up');
    expect(ready.details.redis.status).toBe('up');
    const docs = await fetch(`${first.baseUrl}/docs`);
    expect(docs.status).toBe(200);

    // The store is FerretDB over a private PostgreSQL in DATA_DIR, on a unix socket only, tuned.
    const pgDir = join(env.DATA_DIR, 'postgresql');
    expect(readFileSync(join(pgDir, 'PG_VERSION'), 'utf8').trim()).toMatch(/^\d+$/);
    const pg = new Client({ host: pgDir, port: 5432, user: 'postgres', database: 'ferretdb' });
    await pg.connect();
    try {
      const setting = async (name: string) => (await pg.query<{ v: string }>(`SELECT current_setting($1) AS v`, [name])).rows[0].v;
      expect(await setting('listen_addresses')).toBe('');
      expect(await setting('plan_cache_mode')).toBe('force_custom_plan');
      expect(await setting('jit')).toBe('off');
      expect(await setting('fsync')).toBe('on');
      const { rows } = await pg.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_indexes WHERE schemaname = 'omnichannel' AND indexdef LIKE '%USING gin%jsonb_path_ops%'`,
      );
      expect(Number(rows[0].n)).toBeGreaterThan(10);
    } finally {
      await pg.end();
    }

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
    expect(embeddedProcesses(env)).toEqual({ postgres: [], ferretdb: [], redis: [] });

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

  it('refuses, in one line, a data directory made by another PostgreSQL major version', async () => {
    const other = await newEnv();
    mkdirSync(join(other.DATA_DIR, 'postgresql'), { recursive: true });
    writeFileSync(join(other.DATA_DIR, 'postgresql', 'PG_VERSION'), '9\n');
    const server = spawnServer(other);
    expect(await server.exited).toBe(1);
    const lines = server.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Failed to start: The embedded PostgreSQL data in .* was created by PostgreSQL 9, but this machine has \d+/);
    expect(embeddedProcesses(other)).toEqual({ postgres: [], ferretdb: [], redis: [] });
  });

  it('runs FerretDB on SQLite only when EMBEDDED_STORE=sqlite says so', async () => {
    const sqlite = { ...(await newEnv()), EMBEDDED_STORE: 'sqlite' };
    const server = spawnServer(sqlite);
    try {
      await waitForHttp(`${server.baseUrl}/health/ready`, server);
      expect(embeddedProcesses(sqlite).postgres).toEqual([]);
      expect(embeddedProcesses(sqlite).ferretdb).toHaveLength(1);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  });
});
