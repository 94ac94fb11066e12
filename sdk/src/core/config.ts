import { OmnichannelError, SdkErrorCode } from './errors';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface OmnichannelConfig {
  /** Server root, e.g. `https://omnichannel.example.com`. In a browser it may be a path of your own backend that forwards to the server (see README: the key stays on your backend). */
  baseUrl: string;
  /** Account API key, sent as `Authorization: Bearer <key>`. Leave it out when a proxy adds it. */
  apiKey?: string;
  /** A fetch implementation (default: the global one). */
  fetch?: FetchLike;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Per-request timeout in milliseconds (default 30 000). */
  timeoutMs?: number;
}

export interface ResolvedConfig extends OmnichannelConfig {
  fetch: FetchLike;
  headers: Record<string, string>;
  timeoutMs: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

let globalConfig: Partial<OmnichannelConfig> = {};

/**
 * Sets the configuration that `getInstance()` objects use (merged over earlier calls and over the
 * `OMNICHANNEL_API_URL` / `OMNICHANNEL_API_KEY` environment variables). Applies to calls made afterwards.
 */
export function configure(config: Partial<OmnichannelConfig>): void {
  globalConfig = { ...globalConfig, ...config };
}

/** Forgets everything `configure()` set (the environment variables still apply). */
export function resetConfiguration(): void {
  globalConfig = {};
}

function fromEnvironment(): Partial<OmnichannelConfig> {
  // `process` only exists on Node-like runtimes; reading it through globalThis keeps browsers happy.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (!env) return {};
  const config: Partial<OmnichannelConfig> = {};
  if (env.OMNICHANNEL_API_URL) config.baseUrl = env.OMNICHANNEL_API_URL;
  if (env.OMNICHANNEL_API_KEY) config.apiKey = env.OMNICHANNEL_API_KEY;
  return config;
}

/** Explicit options win over `configure()`, which wins over the environment. Read at each call. */
export function resolveConfig(explicit?: Partial<OmnichannelConfig>): ResolvedConfig {
  const merged: Partial<OmnichannelConfig> = { ...fromEnvironment(), ...globalConfig, ...stripUndefined(explicit ?? {}) };
  if (!merged.baseUrl)
    throw new OmnichannelError({
      code: SdkErrorCode.NOT_CONFIGURED,
      status: 0,
      message: 'The omnichannel SDK has no server URL: call configure({ baseUrl, apiKey }), set OMNICHANNEL_API_URL, or pass options to OmnichannelModule.forRoot()',
    });
  const fetchImpl = merged.fetch ?? (globalThis.fetch ? (input: string, init?: RequestInit) => globalThis.fetch(input, init) : undefined);
  if (!fetchImpl) throw new OmnichannelError({ code: SdkErrorCode.NOT_CONFIGURED, status: 0, message: 'No fetch available: pass configure({ fetch })' });
  return {
    ...merged,
    baseUrl: merged.baseUrl.replace(/\/+$/, ''),
    fetch: fetchImpl,
    headers: merged.headers ?? {},
    timeoutMs: merged.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
