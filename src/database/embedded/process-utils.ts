import { ChildProcess, spawn } from 'node:child_process';
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
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before listening on ${port}`);
    if (await isPortOpen(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not listen on port ${port} within ${timeoutMs} ms`);
}

/** A child process we started and must stop. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid?: number;
  stop(): Promise<void>;
}

export function spawnManaged(name: string, bin: string, args: string[], logTail: string[]): { child: ChildProcess; handle: ManagedProcess } {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer) => {
    logTail.push(...chunk.toString().split('\n').filter(Boolean));
    if (logTail.length > 50) logTail.splice(0, logTail.length - 50);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const handle: ManagedProcess = {
    name,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
  return { child, handle };
}
