// Writes the server's OpenAPI document to a file without starting a server (no FerretDB, no Redis):
//   node scripts/openapi-dump.mjs <out.json>
// Reads the compiled app in dist/ (`nest build` first; `npm run sdk:generate` does both).
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';

const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/openapi-dump.mjs <out.json>');
  process.exit(2);
}
const require = createRequire(import.meta.url);
require('reflect-metadata');
const { buildOpenApiOffline } = require(resolve('dist/openapi/openapi-offline.js'));
const doc = await buildOpenApiOffline();
mkdirSync(dirname(resolve(out)), { recursive: true });
writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
console.log(`wrote ${out} (${Object.keys(doc.paths).length} paths)`);
// Preview mode leaves nothing to wait for, but a library may hold a timer: do not hang.
process.exit(0);
