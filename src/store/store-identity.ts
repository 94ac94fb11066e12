import type { mongo } from 'mongoose';
import type { StoreIdentity } from './store-adapter';

/**
 * Asks the server what it is. FerretDB answers buildInfo like MongoDB and adds `ferretdbVersion`;
 * its backend is not in that reply, so it is read from the URI's hint (`?backend=`) or the given
 * default (the embedded store's setting), else left unknown.
 */
export async function identifyStore(db: mongo.Db, backendHint?: string): Promise<StoreIdentity> {
  const info = (await db.admin().command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string; ferretdb?: { version?: string; backend?: string } };
  const ferretdbVersion = info.ferretdbVersion ?? info.ferretdb?.version;
  if (ferretdbVersion === undefined) return { kind: 'mongodb', version: String(info.version ?? 'unknown') };
  const backend = info.ferretdb?.backend ?? backendHint;
  return { kind: 'ferretdb', version: String(ferretdbVersion), ...(backend ? { backend } : {}) };
}
