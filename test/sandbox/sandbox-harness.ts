import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { Client, LocalAuth } from 'whatsapp-web.js';
import { SandboxPageDriver, sandboxClientOptions, type SandboxConfig } from '../../src/whatsapp/sandbox/sandbox-page-driver';

/** Helpers for driving the REAL whatsapp-web.js Client against the sandbox page in real Chromium. */

const LAUNCH_ARGS = [
  '--no-sandbox', '--disable-setuid-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run',
  '--disable-extensions', '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** SANDBOX_BROWSER=shell uses Debian's chromium-headless-shell; the default is the full /usr/bin/chromium. */
function puppeteerOptions(): Record<string, unknown> {
  const shell = process.env.SANDBOX_BROWSER === 'shell';
  return {
    executablePath: shell ? '/usr/lib/chromium/chromium-headless-shell' : '/usr/bin/chromium',
    headless: shell ? 'shell' : true,
    args: LAUNCH_ARGS,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  };
}

/** Every Client event the specs look at, recorded from creation so none can be missed by a late listener. */
const EVENTS = [
  'qr', 'code', 'authenticated', 'ready', 'loading_screen', 'change_state', 'disconnected', 'message',
  'message_create', 'message_ack', 'message_revoke_everyone', 'message_revoke_me', 'message_edit',
  'message_reaction', 'media_uploaded', 'group_join', 'group_leave', 'group_admin_changed', 'group_update',
] as const;

type Recorded = { name: string; args: any[]; used: boolean };

export class EventRecorder {
  private readonly seen: Recorded[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(client: Client) {
    for (const name of EVENTS) {
      client.on(name as any, (...args: any[]) => {
        this.seen.push({ name, args, used: false });
        for (const w of [...this.waiters]) w();
      });
    }
  }

  all(name: string): any[][] {
    return this.seen.filter((e) => e.name === name).map((e) => e.args);
  }

  count(name: string): number {
    return this.seen.filter((e) => e.name === name).length;
  }

  /** Resolves with the arguments of the first not yet consumed `name` event matching `match`. */
  waitFor(name: string, match: (...args: any[]) => boolean = () => true, timeoutMs = 10_000): Promise<any[]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const hit = this.seen.find((e) => !e.used && e.name === name && match(...e.args));
        if (!hit) return false;
        hit.used = true;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(hit.args);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for '${name}'`));
      }, timeoutMs);
      if (!check()) this.waiters.add(check);
    });
  }
}

export interface SandboxSession {
  client: Client;
  events: EventRecorder;
  driver: SandboxPageDriver;
  dataPath: string;
}

const started = new Set<Client>();

/** A temp root for every browser profile of this run: leftover processes are found by this path. */
export const TEMP_ROOT = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-sandbox-spec-'));

export async function startSandboxClient(dataPath: string, config: SandboxConfig = {}, extra: Record<string, unknown> = {}): Promise<SandboxSession> {
  const client = new Client({
    authStrategy: new LocalAuth({ dataPath }),
    ...sandboxClientOptions(config),
    puppeteer: puppeteerOptions(),
    ...extra,
  } as any);
  const events = new EventRecorder(client);
  started.add(client);
  try {
    await client.initialize();
  } catch (err) {
    await client.destroy().catch(() => undefined);
    throw err;
  }
  if (process.env.SANDBOX_DEBUG) {
    const t0 = Date.now();
    const log = (...a: unknown[]): void => console.log(`[${dataPath.split('/').pop()} +${Date.now() - t0}ms]`, ...a);
    client.pupPage!.on('framenavigated', (f) => log('framenavigated', f.url()));
    client.pupPage!.on('console', (m) => log('page console', m.text()));
    client.pupPage!.on('pageerror', (e) => log('page error', e));
    client.pupBrowser!.on('disconnected', () => log('browser disconnected'));
    for (const name of EVENTS) client.on(name as any, (...a: any[]) => log('event', name, typeof a[0] === 'string' ? a[0] : ''));
  }
  browserPids(); // remember this browser's process tree for the leftover check
  return { client, events, driver: new SandboxPageDriver(client.pupPage!), dataPath };
}

type Proc = { pid: number; ppid: number; args: string };

function processes(): Proc[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => !!m)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] }));
}

/**
 * Chromium processes of ours: browsers whose command line names a profile under `dir` (only the main process
 * carries --user-data-dir), their descendants, and any pid seen in such a tree before that is still a
 * Chromium (children re-parented after their browser died).
 */
const knownPids = new Set<number>();
export function browserPids(dir: string = TEMP_ROOT): number[] {
  const procs = processes();
  const chromium = (p: Proc): boolean => /chrom/i.test(p.args);
  const mine = new Set(procs.filter((p) => p.args.includes(dir) && chromium(p)).map((p) => p.pid));
  if (dir === TEMP_ROOT) for (const p of procs) if (knownPids.has(p.pid) && chromium(p)) mine.add(p.pid);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      if (!mine.has(p.pid) && mine.has(p.ppid) && chromium(p)) {
        mine.add(p.pid);
        grew = true;
      }
    }
  }
  for (const pid of mine) knownPids.add(pid);
  return [...mine];
}

export async function waitUntil(cond: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** After a disconnect the library closes the browser itself; wait for it so the profile can be reused. */
export async function waitForBrowserGone(session: SandboxSession): Promise<void> {
  await waitUntil(() => browserPids(session.dataPath).length === 0, 15_000, `browser of ${session.dataPath} to exit`);
}

export async function destroyAll(): Promise<void> {
  for (const client of started) await client.destroy().catch(() => undefined);
  started.clear();
}

/** Kills (by pid) any Chromium of ours that survived destroy(); returns how many there were. */
export function killLeftovers(): number {
  const pids = browserPids();
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pids.length;
}

/** A small real PNG (a colour gradient), made here so the specs need no fixture files. */
export function makePng(width = 24, height = 16): Buffer {
  const row = 1 + width * 3;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw.set([(x * 255) / width, (y * 255) / height, 128], y * row + 1 + x * 3);
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
