/**
 * True for a unique-index violation: E11000 from MongoDB, and FerretDB 1.24's SQLite
 * "UNIQUE constraint failed" shape. (The channels module has the same check; it belongs in
 * src/common once both have landed.)
 */
export function isUniqueViolation(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown };
  if (e.code === 11000 || e.code === 11001) return true;
  return typeof e.message === 'string' && /UNIQUE constraint failed|E11000/.test(e.message);
}
