import { readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Chromium processes, read from /proc (Linux). Only a browser's main process carries
 * `--user-data-dir`; its zygotes, renderers and utilities are found as its descendants.
 */
export interface ProcInfo {
  pid: number;
  ppid: number;
  /** Process state letter (R, S, Z…). */
  state: string;
  comm: string;
  args: string[];
}

export function listProcesses(): ProcInfo[] {
  const out: ProcInfo[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // comm is in parentheses and may hold spaces: split after the last ')'.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const [state, ppid] = stat.slice(close + 2).split(' ');
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      out.push({ pid: Number(entry), ppid: Number(ppid), state, comm, args });
    } catch {
      // exited while we looked
    }
  }
  return out;
}

const isChromium = (p: ProcInfo): boolean => /chrom/i.test(p.comm) || /chrom/i.test(p.args[0] ?? '');

/** Live (non-zombie) Chromium processes whose browser profile is `profileDir`, or under it when `prefix`. */
export function browserRoots(profileDir: string, prefix = false, procs = listProcesses()): ProcInfo[] {
  const flag = `--user-data-dir=${profileDir}`;
  return procs.filter(
    (p) =>
      p.state !== 'Z' &&
      isChromium(p) &&
      p.args.some((a) => (prefix ? a.startsWith(flag) : a === flag || a === `${flag}/`)),
  );
}

/** `rootPid` and every live descendant of it. */
export function processTree(rootPid: number, procs = listProcesses()): ProcInfo[] {
  const children = new Map<number, ProcInfo[]>();
  for (const p of procs) {
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  const root = procs.find((p) => p.pid === rootPid);
  if (!root) return [];
  const tree: ProcInfo[] = [];
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    if (p.state !== 'Z') tree.push(p);
    stack.push(...(children.get(p.pid) ?? []));
  }
  return tree;
}

/** Every live Chromium process of the browsers using `profileDir` (or any profile under it when `prefix`). */
export function profileProcesses(profileDir: string, prefix = false): ProcInfo[] {
  const procs = listProcesses();
  const seen = new Map<number, ProcInfo>();
  for (const root of browserRoots(profileDir, prefix, procs))
    for (const p of processTree(root.pid, procs)) seen.set(p.pid, p);
  return [...seen.values()];
}

/**
 * Kills (SIGKILL) every browser of a profile with its process tree, and waits until they are
 * gone. A Node process killed hard leaves its Chromium running and the profile locked.
 */
export async function killProfileBrowsers(profileDir: string, prefix = false, waitMs = 5_000): Promise<number> {
  const victims = profileProcesses(profileDir, prefix);
  for (const p of victims) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await waitGone(victims, waitMs);
  return victims.length;
}

/** Waits (at most `waitMs`) until none of the processes is alive (zombies count as gone). */
async function waitGone(procs: ProcInfo[], waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (procs.length && Date.now() < deadline) {
    const alive = new Set(listProcesses().filter((p) => p.state !== 'Z').map((p) => p.pid));
    if (!procs.some((v) => alive.has(v.pid))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Browsers under `prefixDir` whose server process is gone: a server killed hard (SIGKILL, OOM)
 * leaves its Chromium running, reparented to init or a subreaper. A browser whose parent is still
 * a live Node process belongs to a running server (several may share a data volume) and is kept.
 */
export function orphanBrowsers(prefixDir: string, procs = listProcesses()): ProcInfo[] {
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  return browserRoots(prefixDir, true, procs).filter((root) => {
    const parent = byPid.get(root.ppid);
    return !parent || parent.pid === 1 || parent.state === 'Z' || !/node/i.test(`${parent.comm} ${parent.args[0] ?? ''}`);
  });
}

/** How long an orphan browser gets to shut down on SIGTERM before it is killed. */
const ORPHAN_GRACE_MS = 3_000;

/**
 * Stops every orphan browser under `prefixDir` with its process tree; returns how many processes.
 * SIGTERM first: Chromium then shuts down cleanly and commits what it still held in memory (the
 * profile's localStorage and IndexedDB, where a linked session's auth lives, are written lazily), so a
 * server killed hard right after linking does not lose the link. SIGKILL for what is left.
 */
export async function killOrphanBrowsers(prefixDir: string, graceMs = ORPHAN_GRACE_MS): Promise<number> {
  const roots = orphanBrowsers(prefixDir);
  const dirs = roots.map((root) => root.args.find((a) => a.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length));
  const stopped = dirs.reduce((n, dir) => n + (dir ? profileProcesses(dir).length : 1), 0);
  for (const root of roots) {
    try {
      process.kill(root.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await waitGone(roots, graceMs);
  for (const dir of dirs) if (dir) await killProfileBrowsers(dir);
  return stopped;
}

/** Chromium's profile locks; stale ones make the next launch fail ("already running"). */
export async function removeProfileLocks(profileDir: string): Promise<void> {
  await Promise.all(
    ['SingletonLock', 'SingletonSocket', 'SingletonCookie'].map((f) => rm(join(profileDir, f), { force: true })),
  );
}

/** Proportional set size of one process in KiB (0 when it is gone). */
export function pssKiB(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const match = /^Pss:\s+(\d+) kB/m.exec(rollup);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Private memory (USS: Private_Clean + Private_Dirty) of one process in KiB; other processes do not change it. */
export function ussKiB(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    let kib = 0;
    for (const m of rollup.matchAll(/^Private_(?:Clean|Dirty):\s+(\d+) kB/gm)) kib += Number(m[1]);
    return kib;
  } catch {
    return 0;
  }
}
