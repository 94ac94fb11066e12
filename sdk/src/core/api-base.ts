import { OmnichannelClient } from './http-client';

const instances = new WeakMap<object, unknown>();

/**
 * Base of the API classes. `new XApi(client)` for explicit wiring (the Nest module does this);
 * `XApi.getInstance()` for a per-class singleton that reads configure() / the environment at each call.
 */
export abstract class ApiBase {
  constructor(protected readonly client: OmnichannelClient = new OmnichannelClient()) {}

  /** The shared instance of this class. Plain value, so `await X.getInstance()` works too. */
  static getInstance<T extends ApiBase>(this: new () => T): T {
    let instance = instances.get(this) as T | undefined;
    if (!instance) {
      instance = new this();
      instances.set(this, instance);
    }
    return instance;
  }
}
