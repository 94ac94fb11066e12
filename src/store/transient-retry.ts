/**
 * FerretDB on SQLite answers "database is locked (SQLITE_BUSY)" (code 1) when a write meets
 * another write's transaction that it cannot wait for (WAL snapshot conflicts skip SQLite's busy
 * timeout). Nothing was written; the same write succeeds a moment later. MongoDB never says it.
 */
export function isBusy(err: unknown): boolean {
  const message = (err as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && /SQLITE_BUSY|database is locked/.test(message);
}

/** Runs a write, again after a short jittered pause while the store answers busy (at most `attempts` times). */
export async function retryWhileBusy<T>(write: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (!isBusy(err) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.min(1_000, 20 * 2 ** attempt) * (0.5 + Math.random())));
    }
  }
}
