/**
 * True for a unique-index violation. MongoDB reports E11000 for inserts and updates; FerretDB 1.24
 * reports E11000 for inserts only, and a generic error naming the SQLite UNIQUE constraint for
 * updates, so both shapes count. Callers of updates still check for conflicts first.
 */
export function isUniqueViolation(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown };
  if (e.code === 11000 || e.code === 11001) return true;
  return typeof e.message === 'string' && /UNIQUE constraint failed|E11000/.test(e.message);
}

/** Runs an insert and turns a unique violation into the caller's conflict error. */
export async function unique<T>(write: () => Promise<T>, conflict: () => Error): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict();
    throw err;
  }
}
