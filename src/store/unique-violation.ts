/**
 * True for a unique-index violation. MongoDB reports E11000 for inserts and updates. FerretDB 1.24
 * reports E11000 for inserts only; an update that breaks a unique index fails with a generic error
 * carrying the backend's message (SQLite: "UNIQUE constraint failed", PostgreSQL: "duplicate key
 * value violates unique constraint"), so those shapes count too. `UniqueConflict` is what the
 * adapter throws when its own pre-update check finds a holder.
 */
export function isUniqueViolation(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  if (err instanceof UniqueConflict) return true;
  const e = err as { code?: unknown; message?: unknown };
  if (e.code === 11000 || e.code === 11001) return true;
  return typeof e.message === 'string' && /UNIQUE constraint failed|E11000|duplicate key value violates unique constraint/.test(e.message);
}

/** A unique conflict found before writing (the adapter's check on stores that do not report it). */
export class UniqueConflict extends Error {
  constructor(readonly key: string) {
    super(`Unique conflict on ${key}`);
    this.name = 'UniqueConflict';
  }
}
