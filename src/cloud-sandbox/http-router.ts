import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphError } from './cloud-api-errors';

export interface RouteContext {
  req: IncomingMessage;
  params: Record<string, string>;
  query: URLSearchParams;
  raw: Buffer;
  /** The body parsed as JSON; a malformed body is Meta's (#100) error. */
  json(): unknown;
  baseUrl: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  bytes?: { data: Buffer; contentType: string };
}

export type Handler = (ctx: RouteContext) => Promise<Reply> | Reply;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

const MAX_BODY = 100 * 1024 * 1024;

/** A minimal method + path router: the fake needs a dozen routes and no framework. */
export class HttpRouter {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: Handler): this {
    const names: string[] = [];
    const source = path.replace(/:([a-zA-Z]+)(\([^)]*\))?/g, (_m, name: string, re?: string) => {
      names.push(name);
      return re ?? '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler });
    return this;
  }

  async handle(req: IncomingMessage, res: ServerResponse, baseUrl: string): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    let reply: Reply;
    try {
      const raw = await readBody(req);
      const match = this.match(req.method ?? 'GET', url.pathname);
      if (!match) {
        reply = { status: 404, body: new GraphError(100, `Unknown path components: ${url.pathname}`, 404).toBody() };
      } else {
        const ctx: RouteContext = {
          req,
          params: match.params,
          query: url.searchParams,
          raw,
          baseUrl,
          json: () => parseJson(raw),
        };
        reply = await match.route.handler(ctx);
      }
    } catch (err) {
      reply =
        err instanceof GraphError
          ? { status: err.httpStatus, body: err.toBody() }
          : { status: 500, body: new GraphError(131000, (err as Error).message, 500).toBody() };
    }
    if (reply.bytes) {
      res.writeHead(reply.status, { 'content-type': reply.bytes.contentType, 'content-length': reply.bytes.data.length });
      res.end(reply.bytes.data);
      return;
    }
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': 'application/json' });
    res.end(text);
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
      return { route, params };
    }
    return undefined;
  }
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new GraphError(100, 'The request body is not valid JSON.');
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new GraphError(100, 'The request body is too large.', 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
