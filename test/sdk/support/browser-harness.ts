import { transform } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, IncomingMessage, request, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const ROOT = join(__dirname, '../../..');
/**
 * Builds the SDK's browser bundles with the package's own build script (esbuild, ~0.3 s), into a
 * directory of this test run; returns it.
 */
export function buildBrowserBundle(): string {
  const out = mkdtempSync(join(tmpdir(), 'omc-sdk-browser-'));
  execFileSync(process.execPath, [join(ROOT, 'sdk/build.mjs'), '--browser', `--out=${out}`], { cwd: join(ROOT, 'sdk'), stdio: 'pipe' });
  return out;
}

/** A TypeScript file of the tests, transpiled for the browser (imports left as they are). */
export async function browserModule(file: string): Promise<string> {
  const out = await transform(readFileSync(file, 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022', sourcefile: file });
  return out.code;
}

export async function listen(server: Server, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return (server.address() as AddressInfo).port;
}

export function close(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Streams a request to `target` (SSE included), optionally adding headers. */
export function forward(req: IncomingMessage, res: ServerResponse, target: string, path: string, headers: Record<string, string> = {}): void {
  const url = new URL(path, target);
  const upstream = request(url, { method: req.method, headers: { ...req.headers, host: url.host, ...headers } }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => res.headersSent ? res.destroy() : res.writeHead(502).end());
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json', '.html': 'text/html' };

export interface PlatformSite {
  server: Server;
  origin: string;
}

/**
 * A platform's web app on its own origin: its page, its modules, the SDK's browser build under
 * /sdk/, and /omnichannel/* forwarded to the omnichannel server with the account key added (the
 * key stays on the platform's backend; the browser SDK is configured with this origin as baseUrl).
 */
export async function startPlatformSite(opts: {
  /** HTML pages by path. */
  pages: Record<string, string>;
  /** JavaScript modules by path. */
  modules: Record<string, string>;
  /** Directory of the SDK's browser build, served under /sdk/. */
  sdkDir: string;
  apiBaseUrl: () => string;
  apiKey: () => string;
}): Promise<PlatformSite> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path.startsWith('/omnichannel/')) return forward(req, res, opts.apiBaseUrl(), req.url!.slice('/omnichannel'.length), { authorization: `Bearer ${opts.apiKey()}` });
    if (opts.pages[path] !== undefined) return void res.writeHead(200, { 'content-type': 'text/html' }).end(opts.pages[path]);
    if (opts.modules[path] !== undefined) return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(opts.modules[path]);
    if (path.startsWith('/sdk/')) {
      const file = normalize(join(opts.sdkDir, path.slice('/sdk/'.length)));
      if (file.startsWith(opts.sdkDir)) {
        try {
          return void res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
        } catch {
          /* fall through to 404 */
        }
      }
    }
    res.writeHead(404).end();
  });
  const port = await listen(server);
  return { server, origin: `http://127.0.0.1:${port}` };
}

/** The omnichannel server's public address (PUBLIC_BASE_URL), as a reverse proxy would give it. */
export async function startPublicProxy(target: () => string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => forward(req, res, target(), req.url ?? '/'));
  const port = await listen(server);
  return { server, origin: `http://localhost:${port}` };
}
