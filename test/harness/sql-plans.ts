import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from 'pg';

/**
 * The PostgreSQL settings that make a cluster log the plan of every statement it runs, once
 * `PlanLog.start` turns auto_explain on: the module is loaded in every session (cheap while off),
 * plans are JSON, and the log is one JSON object a line in the data directory's `log/` (the
 * server creates it; a directory outside may not be open to the postgres user). Only for a private
 * cluster: the harness's shared one stays as the server runs it.
 */
export const AUTO_EXPLAIN_LOG_DIR = 'log';
export function autoExplainSettings(): Record<string, string> {
  return {
    session_preload_libraries: 'auto_explain',
    'auto_explain.log_format': 'json',
    logging_collector: 'on',
    log_destination: 'jsonlog',
    log_directory: AUTO_EXPLAIN_LOG_DIR,
    log_filename: 'postgresql.log',
    log_rotation_age: '0',
    log_rotation_size: '0',
  };
}

const MARK = 'omc-plan-mark-';

/** A plan node as EXPLAIN (FORMAT JSON) writes it; only what the checks read. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

export interface LoggedPlan {
  query: string;
  plan: PlanNode;
}

/** Every node of a plan, depth first. */
export function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

/** The tables a plan reads, by any kind of scan. */
export function relationsOf(plan: PlanNode): string[] {
  return planNodes(plan).flatMap((n) => (n['Relation Name'] ? [n['Relation Name']] : []));
}

/** One line per node, indented: for failure messages. */
export function describePlan(node: PlanNode, depth = 0): string {
  const on = node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
  const using = node['Index Name'] ? ` using ${node['Index Name']}` : '';
  return [`${'  '.repeat(depth)}${node['Node Type']}${on}${using}`, ...(node.Plans ?? []).map((p) => describePlan(p, depth + 1))].join('\n');
}

/**
 * Reads the plans auto_explain logged. Statements are attributed by markers: `capture()` runs a
 * marked `SELECT` of its own after the caller's work and returns what was logged between the
 * previous marker and this one. A backend writes its plan before it reports the statement done,
 * and every backend writes through one pipe, so a plan of awaited work precedes the marker.
 */
export class PlanLog {
  private marks = 0;

  constructor(
    private readonly logDir: string,
    private readonly client: Client,
  ) {}

  /** Turns plan logging on for every session (those already open included, at their next statement). */
  async start(): Promise<void> {
    await this.client.query('ALTER SYSTEM SET auto_explain.log_min_duration = 0');
    await this.client.query('SELECT pg_reload_conf()');
    // Backends apply the reload on their next statement; wait until this session's own marker is logged.
    await this.capture();
  }

  async stop(): Promise<void> {
    await this.client.query('ALTER SYSTEM RESET auto_explain.log_min_duration');
    await this.client.query('SELECT pg_reload_conf()');
  }

  /** Plans logged since the previous capture (or since start). */
  async capture(timeoutMs = 10_000): Promise<LoggedPlan[]> {
    const previous = this.marks > 0 ? this.marker(this.marks) : undefined;
    const current = this.marker(++this.marks);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Again each round: right after start() this session may not have applied the reload yet.
      await this.client.query(`SELECT '${current}'::text AS mark`);
      const plans = this.read();
      const end = plans.findIndex((p) => p.query.includes(current));
      if (end >= 0) {
        const begin = previous === undefined ? -1 : plans.findIndex((p) => p.query.includes(previous));
        return plans.slice(begin + 1, end).filter((p) => !p.query.includes(MARK));
      }
      if (Date.now() > deadline) throw new Error(`auto_explain logged no plan for ${current} within ${timeoutMs} ms: is it loaded and on?`);
      await sleep(50);
    }
  }

  private marker(n: number): string {
    return `${MARK}${n}`;
  }

  private read(): LoggedPlan[] {
    if (!existsSync(this.logDir)) return [];
    const plans: LoggedPlan[] = [];
    for (const file of readdirSync(this.logDir).filter((f) => f.endsWith('.json')).sort())
      for (const line of readFileSync(join(this.logDir, file), 'utf8').split('\n')) {
        if (!line.trim()) continue;
        const message = (JSON.parse(line) as { message?: string }).message ?? '';
        const at = message.indexOf('plan:');
        if (!message.startsWith('duration:') || at < 0) continue;
        const explained = JSON.parse(message.slice(at + 'plan:'.length)) as { 'Query Text': string; Plan: PlanNode };
        plans.push({ query: explained['Query Text'], plan: explained.Plan });
      }
    return plans;
  }
}
