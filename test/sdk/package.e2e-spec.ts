import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import * as ts from 'typescript';
import { accountClient, ApiClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';

// The project's testTimeout is not applied per project: booting the app (and building) needs more than 5 s under load.
jest.setTimeout(60_000);

const ROOT = join(__dirname, '../..');
const SDK = join(ROOT, 'sdk');

/**
 * Runs a script with Node 24 from the repository root, where `@cirrus/omnichannel_api` resolves to
 * the workspace package (sdk/dist). Asynchronous: the server under test runs in this process.
 */
async function node(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  return stdout;
}

describe('the built package (`npm run build -w sdk`): Node CommonJS and ESM, browser bundles, declarations', () => {
  let t: TestApp;
  let key: string;

  beforeAll(async () => {
    execFileSync(process.execPath, [join(SDK, 'build.mjs')], { cwd: SDK, stdio: 'pipe' });
    t = await startTestApp('sdkpkg', { WHATSAPP_ENGINE: 'sandbox' });
    key = (await accountClient(new ApiClient(t.baseUrl, t.adminKey), 'acc-pkg')).key!;
  });
  afterAll(() => t?.close());

  it('runs plain JavaScript on Node 24 with getInstance() configured from the environment, without loading NestJS', async () => {
    const script = `
      const { TagApi, OmnichannelError } = require('@cirrus/omnichannel_api');
      (async () => {
        const tag = await TagApi.getInstance().create({ clientIdentifier: 'acc-pkg', name: 'Do JavaScript', color: '#ff0000' });
        const err = await TagApi.getInstance().getById({ tagId: '64ef5c84f9deb1326965919e' }).catch((e) => e);
        const nest = Object.keys(require.cache).filter((k) => k.includes('@nestjs'));
        console.log(JSON.stringify({ node: process.versions.node, file: require.resolve('@cirrus/omnichannel_api'), tag, nest,
          err: { isError: err instanceof OmnichannelError, code: err.code, status: err.status, requestId: err.requestId } }));
      })();`;
    const out = JSON.parse(await node(['-e', script], { OMNICHANNEL_API_URL: t.baseUrl, OMNICHANNEL_API_KEY: key }));
    expect(Number(out.node.split('.')[0])).toBeGreaterThanOrEqual(24);
    expect(out.file).toBe(join(SDK, 'dist/index.js'));
    expect(out.tag).toMatchObject({ name: 'Do JavaScript', color: '#ff0000', clientIdentifier: 'acc-pkg' });
    expect(out.err).toEqual({ isError: true, code: 'TAG_NOT_FOUND', status: 404, requestId: expect.any(String) });
    expect(out.nest).toEqual([]);
  });

  it('imports as ESM on Node (named exports of the CommonJS build), with the Nest module', async () => {
    const out = await node(['--input-type=module', '-e', `
      import { SetupApi, ContactApi, TagApi, MessageApi, WhatsappWebUtils, MessageServiceEnum, OmnichannelModule, OmnichannelError } from '@cirrus/omnichannel_api';
      console.log([SetupApi, ContactApi, TagApi, MessageApi, WhatsappWebUtils, OmnichannelModule, OmnichannelError].map((c) => typeof c).join(','), MessageServiceEnum.whatsappweb);`]);
    expect(out.trim()).toBe('function,function,function,function,function,function,function whatsappweb');
  });

  it('ships browser bundles without Node-only code or NestJS: ESM, and an IIFE exposing window.OmnichannelApi', () => {
    const esm = readFileSync(join(SDK, 'dist/browser/omnichannel-api.mjs'), 'utf8');
    const iife = readFileSync(join(SDK, 'dist/browser/omnichannel-api.js'), 'utf8');
    for (const bundle of [esm, iife]) {
      expect(bundle).not.toMatch(/\brequire\(|from ['"]node:|from ['"]@nestjs|class OmnichannelModule/);
    }
    expect(esm).toMatch(/export \{[^}]*WhatsappWebUtils/);
    // Only what browsers have: no process, no require, no Buffer.
    const sandbox = { fetch, URL, URLSearchParams, AbortSignal, setTimeout, clearTimeout, setInterval, clearInterval } as Record<string, unknown>;
    const context = createContext(sandbox);
    runInContext(`${iife};\nthis.window = this; this.loaded = Object.keys(OmnichannelApi).sort();`, context);
    expect(sandbox.loaded).toEqual(
      expect.arrayContaining(['SetupApi', 'ContactApi', 'TagApi', 'MessageApi', 'WebhookApi', 'WhatsappWebUtils', 'MessageServiceEnum', 'OmnichannelError', 'configure']),
    );
    expect(sandbox.loaded).not.toContain('OmnichannelModule');
  });

  it("type-checks the guide's examples against the published declarations (dist/index.d.ts)", () => {
    const files = ['setup', 'contact', 'tag', 'message'].map((n) => join(__dirname, `guide-examples/${n}.examples.ts`));
    files.push(join(__dirname, 'guide-examples/onboarding.example.ts'));
    const program = ts.createProgram(files, {
      module: ts.ModuleKind.Node20,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      target: ts.ScriptTarget.ES2023,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      types: [],
      strict: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      skipLibCheck: true,
      noEmit: true,
      paths: { '@cirrus/omnichannel_api': [join(SDK, 'dist/index.d.ts')] },
    });
    const sdkFiles = program.getSourceFiles().map((f) => f.fileName).filter((f) => f.startsWith(`${SDK}/`));
    expect(sdkFiles).toContain(join(SDK, 'dist/index.d.ts'));
    expect(sdkFiles.filter((f) => !(f.startsWith(join(SDK, 'dist')) && f.endsWith('.d.ts')))).toEqual([]);
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });
});
