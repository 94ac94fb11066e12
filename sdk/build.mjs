// Builds the SDK: Node (CommonJS + .d.ts, tsc) into dist/, browser bundles (esbuild) into dist/browser/.
// `node build.mjs --browser [--out=DIR]` builds only the browser bundles, into DIR if given (tests use a
// temporary one so they never race with a full build).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const browserOnly = process.argv.includes('--browser');
const outArg = process.argv.find((a) => a.startsWith('--out='));
const browserOut = outArg ? outArg.slice('--out='.length) : join(here, 'dist/browser');

if (!browserOnly) {
  rmSync(join(here, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
}

const common = {
  entryPoints: [join(here, 'src/browser.ts')],
  bundle: true,
  platform: 'browser',
  target: ['es2022'],
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
};
await esbuild.build({ ...common, format: 'esm', outfile: join(browserOut, 'omnichannel-api.mjs') });
await esbuild.build({ ...common, format: 'iife', globalName: 'OmnichannelApi', outfile: join(browserOut, 'omnichannel-api.js') });
console.log(`built ${browserOnly ? '' : 'dist/ (Node) and '}${browserOut} (ESM + IIFE window.OmnichannelApi)`);
