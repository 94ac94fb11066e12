import { CLIENT_IDENTIFIER_HEADER, RouteInput, RouteOutput, RouteSpec } from '../routes/route';
import { OmnichannelConfig, ResolvedConfig, resolveConfig } from './config';
import { OmnichannelError, SdkErrorCode } from './errors';

export interface CallOptions {
  /** Sent as `Idempotency-Key`: a retried send with the same key is not sent twice. */
  idempotencyKey?: string;
  /** Cancels the request. */
  signal?: AbortSignal;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

export interface BuiltRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * The one place that talks HTTP. A request is built only from the route's declared fields, so the
 * route table (checked against the server's OpenAPI document by the drift test) is what is sent.
 */
export class OmnichannelClient {
  /** Without options, the configuration is read at each call from configure() and the environment. */
  constructor(private readonly options?: Partial<OmnichannelConfig>) {}

  get config(): ResolvedConfig {
    return resolveConfig(this.options);
  }

  /** Calls a route of the table: the input and the answer are typed by the route's declared fields. */
  async call<R extends RouteSpec>(route: R, input: RouteInput<R>, options: CallOptions = {}): Promise<RouteOutput<R>> {
    const config = this.config;
    const req = buildRequest(config, route, input as object, options);
    const timeout = AbortSignal.timeout(config.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await config.fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal });
    } catch (cause) {
      const reason = timeout.aborted ? `timed out after ${config.timeoutMs} ms` : options.signal?.aborted ? 'aborted' : describe(cause);
      throw new OmnichannelError({ code: SdkErrorCode.NETWORK_ERROR, status: 0, message: `${route.method} ${route.path}: ${reason}`, cause });
    }
    const body = await readBody(res, route);
    if (!res.ok) throw OmnichannelError.fromResponse(res.status, body, res.headers.get('x-request-id'));
    return body as RouteOutput<R>;
  }
}

export function buildRequest(config: ResolvedConfig, route: RouteSpec, input: object, options: CallOptions = {}): BuiltRequest {
  const headers: Record<string, string> = { accept: 'application/json', ...config.headers, ...options.headers };
  if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;

  const query = new URLSearchParams();
  const body: Record<string, unknown> = {};
  let path = route.path;
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (key === 'clientIdentifier') {
      headers[CLIENT_IDENTIFIER_HEADER.toLowerCase()] = String(value);
    } else if (route.params?.[key]) {
      const text = String(value);
      if (!text) throw missing(route, key);
      path = path.replace(`{${key}}`, encodeURIComponent(text));
    } else if (route.query?.[key]) {
      for (const item of Array.isArray(value) ? value : [value]) query.append(key, item instanceof Date ? item.toISOString() : String(item));
    } else if (route.body?.[key]) {
      body[key] = value;
    } else {
      throw new OmnichannelError({
        code: SdkErrorCode.UNKNOWN_FIELD,
        status: 0,
        message: `${route.name}: unknown field "${key}" (accepted: ${acceptedFields(route).join(', ')})`,
        details: { field: key, route: route.name },
      });
    }
  }
  const unfilled = /\{(\w+)\}/.exec(path);
  if (unfilled) throw missing(route, unfilled[1]);
  const qs = query.toString();
  const built: BuiltRequest = { method: route.method, url: `${config.baseUrl}${path}${qs ? `?${qs}` : ''}`, headers };
  if (route.body) {
    headers['content-type'] = 'application/json';
    built.body = JSON.stringify(body);
  }
  return built;
}

function acceptedFields(route: RouteSpec): string[] {
  return ['clientIdentifier', ...Object.keys(route.params ?? {}), ...Object.keys(route.query ?? {}), ...Object.keys(route.body ?? {})];
}

function missing(route: RouteSpec, key: string): OmnichannelError {
  return new OmnichannelError({
    code: SdkErrorCode.MISSING_PARAMETER,
    status: 0,
    message: `${route.name}: "${key}" is required`,
    details: { field: key, route: route.name },
  });
}

async function readBody(res: Response, route: RouteSpec): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return text;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new OmnichannelError({
      code: SdkErrorCode.INVALID_RESPONSE,
      status: res.status,
      message: `${route.method} ${route.path}: the server answered invalid JSON`,
      requestId: res.headers.get('x-request-id') ?? undefined,
      cause,
    });
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as Error & { cause?: unknown }).cause;
    return inner instanceof Error ? `${cause.message} (${inner.message})` : cause.message;
  }
  return String(cause);
}
