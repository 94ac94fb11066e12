/**
 * Memory per linked idle WhatsApp Web session, and time from start to READY of a restored
 * session, on the offline sandbox, with the server's Chromium launch beside whatsapp-web.js's
 * default launch, measured in the same run:
 *
 *   node_modules/.bin/node --experimental-vm-modules node_modules/jest/bin/jest.js -c bench/jest.bench.config.js bench/sessions-memory.bench.ts
 *
 * Memory is PSS (proportional set size, /proc/<pid>/smaps_rollup) summed over each browser's
 * process tree plus its crash handlers (which Chromium re-parents to init: found by the crash
 * database path, put under the run's own XDG_CONFIG_HOME). PSS splits shared pages among every
 * process mapping them, so other Chromium processes on the machine lower it (most at 1 session):
 * the bench also reports USS (private memory, unaffected) and how many such processes it saw.
 * Sessions restore one at a time (the
 * READY time is each one's own), then idle for SETTLE_MS before memory is read.
 * Writes bench/results/sessions-memory.json. Asserts sanity only, never numbers.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/app-config';
import type { EngineListener, EngineSession } from '../src/whatsapp/engine/messaging-engine.port';
import { chromiumLaunch, ChromiumLaunch } from '../src/whatsapp/engine/wwebjs/chromium-launch';
import { browserRoots, listProcesses, processTree, pssKiB, ussKiB } from '../src/whatsapp/engine/wwebjs/chromium-processes';
import { WwebjsEngine } from '../src/whatsapp/engine/wwebjs/wwebjs.engine';
import { sandboxClientOptions, SandboxPageDriver } from '../src/whatsapp/sandbox/sandbox-page-driver';
import { writeResult } from './stats';

const COUNTS = [1, 5, 10];
const SETTLE_MS = 10_000;
const GOAL_RATIO = 0.35;

interface Variant {
  name: string;
  description: string;
  launch: ChromiumLaunch | Record<string, unknown>;
}

/** The server's launch as configured by default (no settings given). */
function serverDefaultLaunch(): ChromiumLaunch {
  const dir = mkdtempSync(join(tmpdir(), 'bench-cfg-'));
  const config = loadConfig({ DATA_DIR: dir, ADMIN_API_KEY: 'x'.repeat(32), LINK_SIGNING_SECRET: 'y'.repeat(40) });
  rmSync(dir, { recursive: true, force: true });
  return chromiumLaunch(config.whatsapp);
}

const VARIANTS: Variant[] = [
  {
    name: 'server',
    description: 'the server default: chromium-headless-shell (headless: shell) with the required and lean flags',
    launch: serverDefaultLaunch(),
  },
  {
    name: 'wwebjs-default',
    description: "whatsapp-web.js's default launch (puppeteer headless: true, Debian /usr/bin/chromium), plus --no-sandbox (needed as root)",
    launch: { executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] },
  },
];

interface Measured {
  variant: string;
  sessions: number;
  pssTotalMiB: number;
  pssPerSessionMiB: number;
  ussPerSessionMiB: number;
  /** Chromium processes on the machine outside this bench when memory was read (they lower PSS). */
  otherChromiumProcesses: number;
  processes: number;
  crashHandlers: number;
  readyMs: { median: number; max: number; all: number[] };
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** A session and promises for its next QR and READY. */
class Probe {
  session!: EngineSession;
  readonly disconnects: string[] = [];
  private waiters: { event: 'qr' | 'ready'; resolve: () => void }[] = [];
  readonly listener: EngineListener = {
    onQr: () => this.fire('qr'),
    onAuthenticated: () => undefined,
    onReady: () => this.fire('ready'),
    onDisconnected: (reason) => void this.disconnects.push(reason),
    onEvent: () => undefined,
  };

  next(event: 'qr' | 'ready', timeoutMs = 30_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ event, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  private fire(event: 'qr' | 'ready'): void {
    const hit = this.waiters.filter((w) => w.event === event);
    this.waiters = this.waiters.filter((w) => w.event !== event);
    for (const w of hit) w.resolve();
  }
}

class Rig {
  readonly root: string;
  readonly xdg: string;
  readonly engine: WwebjsEngine;

  constructor(readonly variant: Variant) {
    this.root = mkdtempSync(join(tmpdir(), `bench-sessions-${variant.name}-`));
    this.xdg = join(this.root, 'xdg');
    mkdirSync(this.xdg);
    this.engine = new WwebjsEngine({
      name: 'sandbox',
      // XDG_CONFIG_HOME only moves Chromium's crash database, so its crash handlers can be attributed.
      launch: { ...(variant.launch as ChromiumLaunch), handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false, env: { ...process.env, XDG_CONFIG_HOME: this.xdg } } as ChromiumLaunch,
      extras: sandboxClientOptions({ qrRefreshMs: 0 }),
      sessionsRoot: join(this.root, 'sessions'),
    });
  }

  private spec(i: number) {
    return { channelId: `bench${i}`, clientIdentifier: 'bench', dataDir: join(this.root, 'sessions', `bench${i}`) };
  }

  /** Links profile i once (scan in the sandbox), then closes it: later starts restore it. */
  async link(i: number): Promise<void> {
    const probe = new Probe();
    const qr = probe.next('qr');
    probe.session = this.engine.createSession(this.spec(i), probe.listener);
    await probe.session.start();
    await qr;
    const ready = probe.next('ready');
    await (probe.session.sandbox!() as SandboxPageDriver).link({ me: `5521900000${String(i).padStart(3, '0')}` });
    await ready;
    await sleep(300);
    await probe.session.stop();
  }

  /** Restores profile i; resolves with ms from start() to READY. */
  async restore(i: number): Promise<{ probe: Probe; ms: number }> {
    const probe = new Probe();
    const ready = probe.next('ready');
    probe.session = this.engine.createSession(this.spec(i), probe.listener);
    const t0 = performance.now();
    await probe.session.start();
    await ready;
    return { probe, ms: performance.now() - t0 };
  }

  /** PSS of every browser of this rig (process trees) and of its crash handlers. */
  measure(): { kib: number; ussKib: number; processes: number; crashHandlers: number; others: number } {
    const procs = listProcesses();
    const pids = new Set<number>();
    for (const root of browserRoots(`${join(this.root, 'sessions')}/`, true, procs)) for (const p of processTree(root.pid, procs)) pids.add(p.pid);
    const handlers = procs.filter((p) => p.state !== 'Z' && p.args.some((a) => a.startsWith(`--database=${this.xdg}/`)));
    for (const h of handlers) pids.add(h.pid);
    let kib = 0;
    let ussKib = 0;
    for (const pid of pids) {
      kib += pssKiB(pid);
      ussKib += ussKiB(pid);
    }
    const others = procs.filter((p) => p.state !== 'Z' && !pids.has(p.pid) && /chrom/i.test(p.comm)).length;
    return { kib, ussKib, processes: pids.size, crashHandlers: handlers.length, others };
  }

  leftovers(): number {
    return this.measure().processes;
  }
}

jest.setTimeout(60 * 60 * 1000);

describe('sessions memory bench', () => {
  it('measures PSS per linked idle session and start-to-READY of restored sessions', async () => {
    const rigs = VARIANTS.map((v) => new Rig(v));
    const max = Math.max(...COUNTS);
    for (const rig of rigs) for (let i = 0; i < max; i++) await rig.link(i);

    const rows: Measured[] = [];
    for (const n of COUNTS) {
      // Variants alternate per session count, so both see the same machine conditions.
      for (const rig of rigs) {
        const running: Probe[] = [];
        const times: number[] = [];
        for (let i = 0; i < n; i++) {
          const { probe, ms } = await rig.restore(i);
          running.push(probe);
          times.push(ms);
        }
        await sleep(SETTLE_MS);
        const m = rig.measure();
        expect(m.processes).toBeGreaterThanOrEqual(n);
        rows.push({
          variant: rig.variant.name,
          sessions: n,
          pssTotalMiB: round(m.kib / 1024),
          pssPerSessionMiB: round(m.kib / 1024 / n),
          ussPerSessionMiB: round(m.ussKib / 1024 / n),
          otherChromiumProcesses: m.others,
          processes: m.processes,
          crashHandlers: m.crashHandlers,
          readyMs: { median: Math.round(median(times)), max: Math.round(Math.max(...times)), all: times.map(Math.round) },
        });
        const row = rows[rows.length - 1];
        console.log(
          `${row.variant.padEnd(15)} n=${String(n).padStart(2)}  PSS/session ${row.pssPerSessionMiB.toFixed(1).padStart(6)} MiB  ` +
            `USS/session ${row.ussPerSessionMiB.toFixed(1).padStart(6)} MiB  total PSS ${row.pssTotalMiB.toFixed(0).padStart(5)} MiB  ` +
            `procs ${row.processes}  crash handlers ${row.crashHandlers}  READY median ${row.readyMs.median} ms max ${row.readyMs.max} ms  ` +
            `(other Chromium processes on the machine: ${row.otherChromiumProcesses})`,
        );
        expect(running.flatMap((p) => p.disconnects)).toEqual([]);
        for (const p of running) await p.session.stop();
        // Crash handlers are not in the browser's tree: they exit on their own once it is gone.
        for (let waited = 0; rig.leftovers() > 0 && waited < 10_000; waited += 200) await sleep(200);
        expect(rig.leftovers()).toBe(0);
      }
    }

    const at = (variant: string, n: number) => rows.find((r) => r.variant === variant && r.sessions === n)!;
    const ratio = (field: 'pssPerSessionMiB' | 'ussPerSessionMiB', n: number) => round(at('server', n)[field] / at('wwebjs-default', n)[field], 3);
    const ratios = Object.fromEntries(COUNTS.map((n) => [n, ratio('pssPerSessionMiB', n)]));
    const ussRatios = Object.fromEntries(COUNTS.map((n) => [n, ratio('ussPerSessionMiB', n)]));
    const ratio10 = ratios[max];
    const cell = (v: Variant, n: number) => {
      const r = at(v.name, n);
      return `${r.pssPerSessionMiB.toFixed(1).padStart(6)} / ${r.ussPerSessionMiB.toFixed(1).padStart(6)} MiB ${String(r.readyMs.median).padStart(5)} ms`;
    };
    const table = [
      '',
      'Per linked idle session: PSS / USS (MiB), and start→READY of a restored session (median ms)',
      `sessions | ${VARIANTS.map((v) => v.name.padEnd(30)).join(' | ')} | PSS ratio | USS ratio`,
      ...COUNTS.map((n) => `${String(n).padStart(8)} | ${VARIANTS.map((v) => cell(v, n).padEnd(30)).join(' | ')} | ${ratios[n].toFixed(2).padStart(9)} | ${ussRatios[n].toFixed(2).padStart(9)}`),
      `goal at ${max} sessions: server PSS ≤ ${GOAL_RATIO}× default → ${ratio10.toFixed(2)}× (${ratio10 <= GOAL_RATIO ? 'met' : 'NOT met'})`,
      '',
    ].join('\n');
    console.log(table);

    writeResult('sessions-memory', {
          bench: 'sessions-memory',
          at: new Date().toISOString(),
          node: process.version,
          settleMs: SETTLE_MS,
          variants: VARIANTS.map((v) => ({ name: v.name, description: v.description, launch: v.launch })),
          rows,
          ratioServerToDefault: ratios,
          ussRatioServerToDefault: ussRatios,
          goal: { sessions: max, maxRatio: GOAL_RATIO, met: ratio10 <= GOAL_RATIO },
    });
    for (const rig of rigs) rmSync(rig.root, { recursive: true, force: true });
  });
});

function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
