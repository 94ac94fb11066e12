/**
 * Rejects with `message` when `promise` takes longer than `ms` (a browser that does not answer
 * a stop or a logout). The promise itself is not cancelled: the caller moves on without it.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
