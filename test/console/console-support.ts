import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const ROOT = join(__dirname, '..', '..');
export const CONSOLE_DIST = join(ROOT, 'dist', 'console-web');

/** Builds the console the way `npm run build` does, so the test serves what the code says now. */
export function buildConsole(): void {
  execFileSync(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '-c', 'console/vite.config.mjs', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

/** Every built asset with its raw and gzip size. */
export function assetSizes(): { file: string; bytes: number; gzip: number }[] {
  const dir = join(CONSOLE_DIST, 'assets');
  return readdirSync(dir).map((file) => {
    const data = readFileSync(join(dir, file));
    return { file, bytes: data.length, gzip: gzipSync(data, { level: 9 }).length };
  });
}

/** The console session cookie from a sign-in answer (name=value only). */
export function sessionCookie(headers: Headers): { pair: string; attributes: string } {
  const raw = headers.getSetCookie().find((c) => c.startsWith('omc_console='));
  if (!raw) throw new Error(`no console cookie in ${JSON.stringify(headers.getSetCookie())}`);
  const [pair, ...attributes] = raw.split(';').map((p) => p.trim());
  return { pair, attributes: attributes.join('; ') };
}
