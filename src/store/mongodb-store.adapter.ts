import { StoreAdapter, StoreIdentity, UniqueUpdate } from './store-adapter';

/** MongoDB does natively everything the domain asks: nothing to compensate. */
export class MongoDbStoreAdapter extends StoreAdapter {
  constructor(readonly identity: StoreIdentity) {
    super();
  }

  serialize<T>(_key: string, fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  retryTransient<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  uniqueUpdate<T>(update: UniqueUpdate<T>): Promise<T> {
    return update.write();
  }

  updateEach(update: { many: () => Promise<number> }): Promise<number> {
    return update.many();
  }
}
