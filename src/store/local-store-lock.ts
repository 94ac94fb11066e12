import { KeyedMutex } from './keyed-mutex';
import { StoreLock } from './store-lock';

/**
 * In-process only: right for one server process, wrong for several sharing a store (each has its
 * own map). Kept as the front of RedisStoreLock and for the test that shows why Redis is needed.
 */
export class LocalStoreLock extends StoreLock {
  private readonly mutex: KeyedMutex;
  constructor(waitMs = 30_000) {
    super();
    this.mutex = new KeyedMutex(waitMs);
  }
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return this.mutex.run(key, task);
  }
}
