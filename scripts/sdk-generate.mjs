// Generates the SDK's request/response types from the server's OpenAPI document:
//   node scripts/sdk-generate.mjs [--document=openapi.json] [--out=sdk/src/generated]
// Without --document the document is built from the compiled app (dist/, see openapi-dump.mjs).
// `npm run sdk:generate` builds and runs this; test/sdk/generated-types.e2e-spec.ts runs it into a
// temporary folder and fails when the checked-in output differs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@hey-api/openapi-ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const out = resolve(arg('out') ?? join(root, 'sdk/src/generated'));

let document = arg('document');
let scratch;
if (!document) {
  scratch = mkdtempSync(join(tmpdir(), 'openapi-'));
  document = join(scratch, 'openapi.json');
  execFileSync(process.execPath, [join(root, 'scripts/openapi-dump.mjs'), document], { cwd: root, stdio: 'inherit' });
}
try {
  await createClient({
    input: document,
    // Types only (no runtime client): the SDK's hand-written classes make the calls.
    output: { path: out, clean: true },
    plugins: ['@hey-api/typescript'],
    logs: { level: 'silent', file: false },
  });
  console.log(`generated ${out}`);
} finally {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}
