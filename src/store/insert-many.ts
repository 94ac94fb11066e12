import type { mongo } from 'mongoose';
import { retryWhileBusy } from './transient-retry';
import { isUniqueViolation } from './unique-violation';

/**
 * insertMany that goes on past unique violations (ordered: false) and says which positions
 * were already stored; any other failure is thrown. Raw driver call: callers pass complete
 * documents (mongoose would cast them once more for nothing). Works the same on FerretDB 1.24,
 * which reports each duplicate with its index, as MongoDB does.
 */
export async function insertManyReportingDuplicates(
  collection: mongo.Collection<mongo.Document>,
  docs: mongo.Document[],
  retry: <T>(write: () => Promise<T>) => Promise<T> = retryWhileBusy,
): Promise<Set<number>> {
  if (docs.length === 0) return new Set();
  try {
    await retry(() => collection.insertMany(docs, { ordered: false }));
    return new Set();
  } catch (err) {
    const writeErrors = (err as { writeErrors?: { index: number; code?: number }[] }).writeErrors;
    if (!Array.isArray(writeErrors) || writeErrors.length === 0 || writeErrors.some((w) => !isUniqueViolation(w))) throw err;
    return new Set(writeErrors.map((w) => w.index));
  }
}
