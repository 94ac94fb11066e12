import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');
const MAIN = join(ROOT, 'dist', 'main.js');

/** The e2e tests that restart or kill a server run the built server; build it if missing or stale. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function ensureBuilt(): void {
  const stale = !existsSync(MAIN) || statSync(MAIN).mtimeMs < newestMtime(join(ROOT, 'src'));
  if (stale) execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  output(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

export interface SpawnServerOptions {
  /**
   * A command the server runs under, e.g. `['/usr/sbin/ip', 'netns', 'exec', 'omc-…-0']` (see
   * test/harness/hosts.ts). It must exec the server in place (as `ip netns exec` does), so that
   * `child` is the node process itself and stop()'s signal reaches the server, not a wrapper.
   */
  wrap?: string[];
  /** Address baseUrl points at (default 127.0.0.1). */
  host?: string;
  /** The compiled server to run (default dist/main.js). */
  main?: string;
}

/**
 * Spawns `node dist/main.js` with exactly the environment given (plus PATH/HOME), so a
 * test decides whether MONGODB_URI / REDIS_URL are set.
 */
export function spawnServer(env: Record<string, string>, opts: SpawnServerOptions = {}): ServerProcess {
  const [command, ...prefix] = [...(opts.wrap ?? []), NODE];
  const child = spawn(command, [...prefix, opts.main ?? MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return {
    child,
    baseUrl: `http://${opts.host ?? '127.0.0.1'}:${env.PORT}`,
    output: () => out,
    exited,
    stop: (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls a URL until it answers 200 (or the process dies, or time runs out). */
export async function waitForHttp(url: string, server?: ServerProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server && server.child.exitCode !== null) throw new Error(`server exited early:\n${server.output()}`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms${server ? `:\n${server.output()}` : ''}`);
}
