/** A store write that has not answered within its bound (it may still land later). */
export class StoreWriteTimeoutError extends Error {
  constructor(readonly key: string, readonly timeoutMs: number) {
    super(`Store write on ${key} did not answer within ${timeoutMs} ms`);
    this.name = 'StoreWriteTimeoutError';
  }
}

/** Rejects with StoreWriteTimeoutError when `write` has not settled within `timeoutMs`. */
export async function withWriteTimeout<T>(key: string, timeoutMs: number, write: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreWriteTimeoutError(key, timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([write, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
