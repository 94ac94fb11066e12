import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function waitForPort(port: number, timeoutMs: number, child?: ChildProcess, name = 'process'): Promise<void> {
  await waitFor(() => isPortOpen(port), timeoutMs, child, name, `listening on ${port}`);
}

/** Polls `ready` until it holds; fails early when the child exits. */
export async function waitFor(ready: () => Promise<boolean>, timeoutMs: number, child: ChildProcess | undefined, name: string, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before ${what}`);
    if (await ready()) return;
    await sleep(100);
  }
  throw new Error(`${name} was not ${what} within ${timeoutMs} ms`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A child process we started and must stop. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid?: number;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Signal that asks for a clean stop (PostgreSQL: SIGINT, its "fast" shutdown). */
  stopSignal?: NodeJS.Signals;
  /** SIGKILL after this long. */
  stopTimeoutMs?: number;
  /** Written with the child's pid so a later server can find what a crashed one left; removed on exit. */
  pidFile?: string;
  uid?: number;
  gid?: number;
  env?: NodeJS.ProcessEnv;
}

export function spawnManaged(name: string, bin: string, args: string[], logTail: string[], opts: SpawnOptions = {}): { child: ChildProcess; handle: ManagedProcess } {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], uid: opts.uid, gid: opts.gid, env: opts.env });
  const keep = (chunk: Buffer) => {
    logTail.push(...chunk.toString().split('\n').filter(Boolean));
    if (logTail.length > 50) logTail.splice(0, logTail.length - 50);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const { pidFile } = opts;
  if (pidFile && child.pid) {
    writeFileSync(pidFile, `${child.pid}\n`, { mode: 0o600 });
    child.once('exit', () => rmSync(pidFile, { force: true }));
  }
  const handle: ManagedProcess = {
    name,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), opts.stopTimeoutMs ?? 5_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill(opts.stopSignal ?? 'SIGTERM');
      }),
  };
  return { child, handle };
}

/** The command line of a live (not zombie) process, or undefined. Linux /proc. */
export function liveCmdline(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 3, after the parenthesised name (which may itself hold spaces or parentheses).
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return undefined;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return undefined;
  }
}

export function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0], 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stops what a crashed server left behind: the process named in `pidFile`, but only when its
 * command line still holds every marker (a reused pid belongs to someone else and is left
 * alone). Returns true when such a process was found and is now gone.
 */
export async function stopLeftover(pidFile: string, markers: string[], signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<boolean> {
  const pid = readPid(pidFile);
  const cmdline = pid ? liveCmdline(pid) : undefined;
  if (!pid || !cmdline || !markers.every((m) => cmdline.includes(m))) {
    rmSync(pidFile, { force: true });
    return false;
  }
  process.kill(pid, signal);
  const deadline = Date.now() + timeoutMs;
  while (liveCmdline(pid) !== undefined) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      await sleep(200);
      break;
    }
    await sleep(50);
  }
  rmSync(pidFile, { force: true });
  return true;
}

/** Stops `what` and throws `err` with the child's last output attached. */
export async function failWithTail(handle: ManagedProcess, err: unknown, tail: string[]): Promise<never> {
  await handle.stop();
  throw new Error(`${(err as Error).message}\n${tail.join('\n')}`);
}
