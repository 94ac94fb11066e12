import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { profileProcesses } from '../../src/whatsapp/engine/wwebjs/chromium-processes';
import { ApiClient } from '../harness/http';
import { freePort } from '../harness/services';

let numberSeq = 0;

/** A fresh Brazilian mobile number per channel (numbers are unique per account). */
export function nextNumber(): string {
  numberSeq++;
  return `55219${String(Date.now() % 1e4).padStart(4, '0')}${String(numberSeq).padStart(4, '0')}`;
}

export async function setupChannel(acc: ApiClient, clientNumber = nextNumber()): Promise<{ id: string; platformConfigId: string; clientNumber: string }> {
  const res = await acc.post('/channels/setup/whatsappweb', {
    provider: { clientNumber, companyId: 'co' },
    startingPlatform: 'karoochat',
    platforms: [{ slug: 'karoochat', callbackUrl: 'http://127.0.0.1:9/hook' }],
  });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, platformConfigId: res.body.platformConfigId, clientNumber };
}

export async function eventually<T>(probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < end) {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

export async function waitForState(acc: ApiClient, channelId: string, state: string | string[], timeoutMs = 20_000): Promise<any> {
  const wanted = Array.isArray(state) ? state : [state];
  const res = await eventually(
    () => acc.get(`/channels/${channelId}/session`),
    (r) => r.status === 200 && wanted.includes(r.body.state),
    timeoutMs,
    `session ${channelId} in ${wanted.join('|')}`,
  );
  return res.body;
}

/** Live Chromium processes of every session under a server's DATA_DIR. */
export function chromiumUnder(dataDir: string): number[] {
  return profileProcesses(`${join(dataDir, 'sessions')}/`, true).map((p) => p.pid);
}

/**
 * The server compiled to JavaScript, to run as its own process. Uses dist/ when it is newer
 * than every source file; otherwise compiles into tmp/ (not dist/, which other suites may be
 * running) with tsc and copies the HTML assets beside it.
 */
export function ensureBuilt(root = process.cwd()): string {
  const dist = join(root, 'dist', 'main.js');
  const newestSource = newest(join(root, 'src'));
  const distHtml = join(root, 'dist', 'whatsapp', 'sandbox', 'web', 'sandbox-1.0.html');
  if (existsSync(dist) && existsSync(distHtml) && statSync(dist).mtimeMs >= newestSource) return dist;
  const out = join(root, 'tmp', 'whatsapp-e2e-dist');
  const main = join(out, 'main.js');
  // Written last: a build cut short (or one without its assets) is never reused.
  const done = join(out, '.complete');
  if (existsSync(done) && statSync(done).mtimeMs >= newestSource) return main;
  rmSync(out, { recursive: true, force: true });
  // Type errors are the type-check's business (tsc still emits); only a missing output is fatal here.
  spawnSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json', '--outDir', out], { cwd: root, stdio: 'ignore' });
  if (!existsSync(main)) throw new Error('compiling the server failed');
  for (const file of listFiles(join(root, 'src')).filter((f) => f.endsWith('.html'))) {
    const target = join(out, relative(join(root, 'src'), file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
  }
  writeFileSync(done, new Date().toISOString());
  return main;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

function newest(dir: string): number {
  return Math.max(...listFiles(dir).map((f) => statSync(f).mtimeMs));
}

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL (browsers survive it). */
  kill(): Promise<void>;
}

/** Runs the built server (`node dist/main.js`) with the given environment; resolves once it listens. */
export async function spawnServer(mainJs: string, env: Record<string, string>, root = process.cwd()): Promise<ServerProcess> {
  // A free port can be taken by another suite's process between the probe and the server's listen
  // (jest runs suites in parallel): that start fails with EADDRINUSE and is retried on another port.
  for (let attempt = 1; ; attempt++) {
    try {
      return await spawnOnce(mainJs, env, root);
    } catch (err) {
      if (attempt >= 5 || !String((err as Error).message).includes('EADDRINUSE')) throw err;
    }
  }
}

async function spawnOnce(mainJs: string, env: Record<string, string>, root: string): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(join(root, 'node_modules', '.bin', 'node'), [mainJs], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env, PORT: String(port), LOG_LEVEL: env.LOG_LEVEL === 'silent' ? 'warn' : env.LOG_LEVEL },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const end = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${baseUrl}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    baseUrl,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
