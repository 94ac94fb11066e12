/**
 * Mutual exclusion per key for the writes a store cannot make atomic. `LocalStoreLock` holds
 * within this process only; `RedisStoreLock` (redis-store-lock.ts) holds across processes.
 */
export abstract class StoreLock {
  abstract run<T>(key: string, task: () => Promise<T>): Promise<T>;
}
