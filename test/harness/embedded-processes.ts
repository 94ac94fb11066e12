import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { liveCmdline } from '../../src/database/embedded/process-utils';

export interface EmbeddedProcesses {
  postgres: number[];
  ferretdb: number[];
  redis: number[];
}

/**
 * The live embedded services of one server, found in /proc by what makes them its own: the
 * postmaster's `-D DATA_DIR/postgresql`, FerretDB's listen address, redis-server's port (its
 * title). PostgreSQL's own workers retitle themselves and are not counted.
 */
export function embeddedProcesses(env: { DATA_DIR: string; EMBEDDED_MONGO_PORT: string; EMBEDDED_REDIS_PORT: string }): EmbeddedProcesses {
  const found: EmbeddedProcesses = { postgres: [], ferretdb: [], redis: [] };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmd = liveCmdline(Number(entry));
    if (!cmd) continue;
    if (cmd.includes('bin/postgres ') && cmd.includes(`-D ${join(env.DATA_DIR, 'postgresql')} `)) found.postgres.push(Number(entry));
    else if (cmd.includes('ferretdb') && cmd.includes(`--listen 127.0.0.1:${env.EMBEDDED_MONGO_PORT} `)) found.ferretdb.push(Number(entry));
    else if (cmd.startsWith('redis-server') && new RegExp(`:${env.EMBEDDED_REDIS_PORT}(\\s|$)`).test(cmd)) found.redis.push(Number(entry));
  }
  return found;
}
