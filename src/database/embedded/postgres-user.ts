import { chmodSync, chownSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** A problem with the embedded cluster that the operator must fix; reported as one line. */
export class EmbeddedPostgresError extends Error {}

export interface PostgresRunAs {
  uid: number;
  gid: number;
}

/** initdb and postgres refuse to run as root: as root we run them as Debian's `postgres` user. */
export function postgresRunAs(): PostgresRunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new EmbeddedPostgresError('running as root needs the postgres user (Debian\'s postgresql package creates it): run scripts/setup.sh');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Whether `user` may enter `dir` and every directory above it. */
export function traversable(dir: string, user: PostgresRunAs): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const st = statSync(d);
    const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
    if (!(st.mode & bit)) return false;
    if (d === dirname(d)) return true;
  }
}

/**
 * DATA_DIR is created 0700 by root: let the postgres group (only) enter it, so the cluster can
 * live inside it. Everything in DATA_DIR keeps its own, private, mode.
 */
export function letPostgresEnter(dir: string, user: PostgresRunAs): void {
  const st = statSync(dir);
  if (st.uid !== 0 || traversable(dir, user)) return;
  chownSync(dir, 0, user.gid);
  chmodSync(dir, (st.mode & 0o777) | 0o010);
}
