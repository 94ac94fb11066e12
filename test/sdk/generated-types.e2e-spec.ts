import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOpenApiOffline } from '../../src/openapi/openapi-offline';
import { ApiClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';

// Building the document and running the generator take a few seconds each under load.
jest.setTimeout(120_000);

const ROOT = join(__dirname, '../..');
const CHECKED_IN = join(ROOT, 'sdk/src/generated');
const FIX = 'run `npm run sdk:generate` and commit sdk/src/generated/';

function filesOf(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

/** Files that differ between the checked-in output and a fresh one, each with the fix. */
function staleFiles(fresh: string, checkedIn: string): string[] {
  const a = filesOf(fresh);
  const b = filesOf(checkedIn);
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  return names.filter((n) => a.get(n) !== b.get(n)).map((n) => `sdk/src/generated/${n} is stale (${!b.has(n) ? 'missing' : !a.has(n) ? 'not generated any more' : 'differs'}): ${FIX}`);
}

describe('SDK types generated from the OpenAPI document (sdk/src/generated)', () => {
  let scratch: string;
  let fresh: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'sdk-generated-'));
    // The document from the source under test (not dist/), exactly as the npm script builds it.
    const document = join(scratch, 'openapi.json');
    writeFileSync(document, `${JSON.stringify(await buildOpenApiOffline(), null, 2)}\n`);
    fresh = join(scratch, 'out');
    execFileSync(process.execPath, [join(ROOT, 'scripts/sdk-generate.mjs'), `--document=${document}`, `--out=${fresh}`], { cwd: ROOT, stdio: 'pipe' });
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('are checked in exactly as the generator makes them today (CI fails when stale)', () => {
    expect(staleFiles(fresh, CHECKED_IN)).toEqual([]);
  });

  it('notice a stale file and say how to fix it', () => {
    const edited = join(scratch, 'edited');
    execFileSync('cp', ['-r', fresh, edited]);
    writeFileSync(join(edited, 'types.gen.ts'), readFileSync(join(edited, 'types.gen.ts'), 'utf8').replace('export type TagResponse', 'export type TagResponseOld'));
    expect(staleFiles(fresh, edited)).toEqual([expect.stringContaining('types.gen.ts is stale (differs): run `npm run sdk:generate`')]);
  });

  describe('come from the document the server serves', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp('sdkgen', { WHATSAPP_ENGINE: 'sandbox' });
    });
    afterAll(() => t.close());

    it('the offline build (no server, no database) equals /docs-json for the same settings', async () => {
      const served = await new ApiClient(t.baseUrl).get<object>('/docs-json');
      expect(served.status).toBe(200);
      expect(await buildOpenApiOffline(t.config)).toEqual(served.body);
    });
  });
});
