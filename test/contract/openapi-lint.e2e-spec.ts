import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ApiClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { Json } from './support/openapi-doc';

jest.setTimeout(120_000);

const CLI = join(__dirname, '../../node_modules/@redocly/cli/bin/cli.js');
const CONFIG = join(__dirname, '../../redocly.yaml');

interface Finding {
  ruleId: string;
  message: string;
  location: { pointer: string }[];
}

/** Runs Redocly's linter with the project's ruleset (redocly.yaml) on a document; returns its findings. */
async function lint(doc: Json): Promise<Finding[]> {
  const file = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
  writeFileSync(file, JSON.stringify(doc));
  const args = [CLI, 'lint', file, '--config', CONFIG, '--format', 'json', '--max-problems', '1000'];
  // Exit code 1 means findings: read them from stdout either way.
  const { stdout } = await promisify(execFile)(process.execPath, args, { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } }).catch(
    (err: { stdout?: string; stderr?: string }) => {
      if (!err.stdout) throw new Error(`redocly lint did not run: ${err.stderr}`);
      return { stdout: err.stdout };
    },
  );
  return (JSON.parse(stdout) as { problems: Finding[] }).problems;
}

const summary = (findings: Finding[]) => findings.map((f) => `${f.ruleId} ${f.location[0]?.pointer}: ${f.message}`);

describe('OpenAPI lint (Redocly, redocly.yaml)', () => {
  let t: TestApp;
  let doc: Json;

  beforeAll(async () => {
    t = await startTestApp('openapilint', { WHATSAPP_ENGINE: 'sandbox' });
    doc = (await new ApiClient(t.baseUrl).get('/docs-json')).body;
  });
  afterAll(() => t.close());

  it('finds nothing in the served document', async () => {
    expect(summary(await lint(doc))).toEqual([]);
  });

  it('reports what the ruleset forbids (so a zero above means something)', async () => {
    const broken = structuredClone(doc);
    const create = broken.paths['/contacts'].post;
    delete create.operationId;
    delete create.summary;
    delete broken.paths['/contacts'].get.responses['400'].content['application/json'].examples;
    delete broken.paths['/api-keys'].post.responses['201'].content;
    broken.paths['/tags'].get.tags = ['Undescribed'];
    delete broken.security; // authenticated routes inherit it: now they have none
    const rules = new Set((await lint(broken)).map((f) => f.ruleId));
    for (const rule of ['operation-operationId', 'operation-summary', 'rule/error-code-enum', 'rule/success-schema', 'operation-tag-defined', 'security-defined'])
      expect({ rule, reported: rules.has(rule) }).toEqual({ rule, reported: true });
  });
});
