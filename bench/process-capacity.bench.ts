/**
 * Sessions per server process at a given memory budget, on the offline sandbox engine:
 *
 *   node --experimental-vm-modules node_modules/jest/bin/jest.js -c bench/jest.bench.config.js bench/process-capacity.bench.ts
 *
 * ONE real server process (`node dist/main.js`, WHATSAPP_ENGINE=sandbox) links channels
 * incrementally (K = 0, 1, 4, 8, 12 linked idle sessions); after each step it idles SETTLE_MS,
 * then the whole process's memory is read: PSS (/proc/<pid>/smaps_rollup) of the node process
 * plus every Chromium process under its DATA_DIR (each browser's process tree, found by its
 * --user-data-dir, and its crash handlers, which Chromium re-parents to init: found by the crash
 * database path, put under the run's own XDG_CONFIG_HOME). USS (private memory) is reported too.
 * A least-squares line total = base + perSession·K gives the max sessions for each budget:
 * floor((budget − base) / perSession). The sandbox page is far lighter than real WhatsApp Web,
 * so these are upper bounds for production.
 * Writes bench/results/process-capacity.json. Asserts sanity only, never numbers.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { browserRoots, listProcesses, processTree, pssKiB, ussKiB } from '../src/whatsapp/engine/wwebjs/chromium-processes';
import { ApiClient, accountClient } from '../test/harness/http';
import { testEnv, uniqueDatabase, TEST_ADMIN_KEY } from '../test/harness/test-app';
import { chromiumUnder, ensureBuilt, ServerProcess, setupChannel, spawnServer } from '../test/whatsapp/whatsapp-helpers';
import { round, writeResult } from './stats';

const STEPS = (process.env.BENCH_CAPACITY_STEPS ?? '1,4,8,12').split(',').map(Number);
const SETTLE_MS = Number(process.env.BENCH_CAPACITY_SETTLE_MS ?? 10_000);
const BUDGETS_GIB = [1, 2, 4, 8];
const GIB_MIB = 1024;

interface Row {
  sessions: number;
  totalPssMiB: number;
  totalUssMiB: number;
  nodePssMiB: number;
  nodeUssMiB: number;
  chromiumPssMiB: number;
  chromiumUssMiB: number;
  chromiumProcesses: number;
  crashHandlers: number;
  /** Chromium processes on the machine outside this server when memory was read (they lower PSS). */
  otherChromiumProcesses: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Least-squares line y = a + b·x. */
function fitLine(xs: number[], ys: number[]): { base: number; slope: number; r2: number } {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  const slope = sxy / sxx;
  return { base: my - slope * mx, slope, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

/** Memory of the server process and every Chromium process under its DATA_DIR. */
function measure(nodePid: number, dataDir: string, xdg: string): Omit<Row, 'sessions'> {
  const procs = listProcesses();
  const chromium = new Set<number>();
  for (const root of browserRoots(`${join(dataDir, 'sessions')}/`, true, procs)) for (const p of processTree(root.pid, procs)) chromium.add(p.pid);
  const handlers = procs.filter((p) => p.state !== 'Z' && p.args.some((a) => a.startsWith(`--database=${xdg}/`)));
  for (const h of handlers) chromium.add(h.pid);
  chromium.delete(nodePid);
  let cPss = 0;
  let cUss = 0;
  for (const pid of chromium) {
    cPss += pssKiB(pid);
    cUss += ussKiB(pid);
  }
  const nPss = pssKiB(nodePid);
  const nUss = ussKiB(nodePid);
  const others = procs.filter((p) => p.state !== 'Z' && !chromium.has(p.pid) && /chrom/i.test(p.comm)).length;
  return {
    totalPssMiB: round((nPss + cPss) / 1024, 1),
    totalUssMiB: round((nUss + cUss) / 1024, 1),
    nodePssMiB: round(nPss / 1024, 1),
    nodeUssMiB: round(nUss / 1024, 1),
    chromiumPssMiB: round(cPss / 1024, 1),
    chromiumUssMiB: round(cUss / 1024, 1),
    chromiumProcesses: chromium.size,
    crashHandlers: handlers.length,
    otherChromiumProcesses: others,
  };
}

jest.setTimeout(30 * 60 * 1000);

describe('process capacity bench', () => {
  let server: ServerProcess | undefined;
  let dataDir = '';

  afterAll(async () => {
    await server?.stop();
    if (dataDir) {
      // Crash handlers exit on their own shortly after their browser.
      for (let waited = 0; chromiumUnder(dataDir).length > 0 && waited < 10_000; waited += 200) await sleep(200);
      expect(chromiumUnder(dataDir)).toEqual([]);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('measures whole-process memory against linked sessions and derives sessions per budget', async () => {
    const loadBefore = loadavg().map((l) => round(l, 2));
    const mainJs = ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'omc-bench-capacity-'));
    // XDG_CONFIG_HOME only moves Chromium's crash database, so its crash handlers can be attributed.
    const xdg = join(dataDir, 'xdg');
    mkdirSync(xdg);
    const env = testEnv(uniqueDatabase('benchcapacity'), { DATA_DIR: dataDir, XDG_CONFIG_HOME: xdg });
    server = await spawnServer(mainJs, env);
    const nodePid = server.child.pid!;
    const acc = await accountClient(new ApiClient(server.baseUrl, TEST_ADMIN_KEY), 'acc-bench-capacity');

    const rows: Row[] = [];
    const record = (sessions: number) => {
      const row: Row = { sessions, ...measure(nodePid, dataDir, xdg) };
      rows.push(row);
      console.log(
        `[bench:capacity] K=${String(sessions).padStart(2)}  total PSS ${row.totalPssMiB.toFixed(1).padStart(7)} MiB (node ${row.nodePssMiB.toFixed(1)} + chromium ${row.chromiumPssMiB.toFixed(1)})  ` +
          `USS ${row.totalUssMiB.toFixed(1)} MiB  chromium procs ${row.chromiumProcesses} (crash handlers ${row.crashHandlers})  other chromium on machine ${row.otherChromiumProcesses}`,
      );
    };

    await sleep(SETTLE_MS);
    record(0);
    let linked = 0;
    const linkTimesMs: number[] = [];
    for (const k of STEPS) {
      for (; linked < k; linked++) {
        const channel = await setupChannel(acc);
        const t = performance.now();
        const res = await acc.post(`/sandbox/channels/${channel.id}/link`, {});
        linkTimesMs.push(Math.round(performance.now() - t));
        if (res.status !== 200) throw new Error(`link failed: ${res.status} ${JSON.stringify(res.body)}`);
        expect(res.body).toMatchObject({ state: 'READY', linked: true });
      }
      await sleep(SETTLE_MS);
      record(k);
      expect(rows[rows.length - 1].chromiumProcesses).toBeGreaterThanOrEqual(k);
    }
    expect(server.output()).not.toMatch(/Unhandled promise rejection/);

    const xs = rows.map((r) => r.sessions);
    const pss = fitLine(xs, rows.map((r) => r.totalPssMiB));
    const uss = fitLine(xs, rows.map((r) => r.totalUssMiB));
    const capacity = (fit: { base: number; slope: number }) =>
      Object.fromEntries(BUDGETS_GIB.map((g) => [`${g}GiB`, Math.max(0, Math.floor((g * GIB_MIB - fit.base) / fit.slope))]));
    const maxPss = capacity(pss);
    const maxUss = capacity(uss);

    const table = [
      '',
      `Process capacity: one server process, sandbox engine, ${cpus().length} cores, settle ${SETTLE_MS} ms, load before ${loadBefore.join(' / ')}`,
      '   K | total PSS MiB | node PSS | chromium PSS | total USS MiB | chromium procs',
      ...rows.map(
        (r) =>
          `${String(r.sessions).padStart(4)} | ${r.totalPssMiB.toFixed(1).padStart(13)} | ${r.nodePssMiB.toFixed(1).padStart(8)} | ${r.chromiumPssMiB.toFixed(1).padStart(12)} | ${r.totalUssMiB.toFixed(1).padStart(13)} | ${String(r.chromiumProcesses).padStart(14)}`,
      ),
      `fit PSS: total = ${pss.base.toFixed(1)} MiB + ${pss.slope.toFixed(1)} MiB × K  (r² ${pss.r2.toFixed(4)})`,
      `fit USS: total = ${uss.base.toFixed(1)} MiB + ${uss.slope.toFixed(1)} MiB × K  (r² ${uss.r2.toFixed(4)})`,
      ' budget | max sessions (PSS fit) | (USS fit)',
      ...BUDGETS_GIB.map((g) => `${`${g} GiB`.padStart(7)} | ${String(maxPss[`${g}GiB`]).padStart(22)} | ${String(maxUss[`${g}GiB`]).padStart(9)}`),
      'Sandbox page: real WhatsApp Web pages are much heavier, so production capacity is lower.',
      '',
    ].join('\n');
    console.log(table);

    const file = writeResult('process-capacity', {
      bench: 'process-capacity',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, totalMemMiB: Math.round(totalmem() / 1024 / 1024), node: process.version, os: `${osType()} ${release()}`, loadAverageBefore: loadBefore },
      setup: {
        engine: 'sandbox',
        process: 'node dist/main.js (one process)',
        steps: [0, ...STEPS],
        settleMs: SETTLE_MS,
        memory: 'PSS (smaps_rollup) of the node process + every Chromium process under DATA_DIR (browser trees and crash handlers); USS alongside',
        note: 'The sandbox page is much lighter than real WhatsApp Web: these capacities are upper bounds for production.',
      },
      rows,
      linkTimesMs,
      fit: {
        pss: { baseMiB: round(pss.base, 1), perSessionMiB: round(pss.slope, 1), r2: round(pss.r2, 4) },
        uss: { baseMiB: round(uss.base, 1), perSessionMiB: round(uss.slope, 1), r2: round(uss.r2, 4) },
      },
      maxSessions: { formula: 'floor((budget - base) / perSession)', byPss: maxPss, byUss: maxUss },
    });
    console.log(`[bench:capacity] wrote ${file}`);

    const exitCode = await server.stop();
    server = undefined;
    expect(exitCode).toBe(0);
  });
});
