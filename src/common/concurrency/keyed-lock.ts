/**
 * Replaced by KeyedMutex (src/store/keyed-mutex.ts, over async-mutex); this name stays only for
 * modules not yet moved to StoreAdapter.serialize. Remove with their last import.
 */
export { KeyedMutex as KeyedLock } from '../../store/keyed-mutex';
