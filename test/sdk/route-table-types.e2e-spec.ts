import { dirname, join } from 'node:path';
import * as ts from 'typescript';

// Type-checking the SDK takes a few seconds under load.
jest.setTimeout(120_000);

const SDK = join(__dirname, '../../sdk');

/**
 * The SDK's route table is checked against the generated OpenAPI types by `tsc` (sdk/src/routes/index.ts);
 * this compiles drifted copies of one route beside the SDK's source and returns each one's errors.
 */
function compileWithRoutes(routes: Record<string, string>): Record<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(join(SDK, 'tsconfig.json'), { noEmit: true }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const files = new Map(
    Object.entries(routes).map(([name, spec]) => [
      join(SDK, `src/__drift_${name}__.ts`),
      `import { bool, str, int, opt } from './routes/fields';
       import { assertNone, route, type RoutesOffTheDocument, type RoutesWithOtherInput } from './routes/route';
       const r = route(${spec});
       assertNone<RoutesOffTheDocument<typeof r>>();
       assertNone<RoutesWithOtherInput<typeof r>>();
       void bool; void str; void int; void opt;`,
    ]),
  );
  const host = ts.createCompilerHost(config.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => files.has(f) || fileExists(f);
  host.readFile = (f) => files.get(f) ?? readFile(f);
  host.getSourceFile = (f, lang, ...rest) => (files.has(f) ? ts.createSourceFile(f, files.get(f)!, lang) : getSourceFile(f, lang, ...rest));
  const program = ts.createProgram([...config.fileNames, ...files.keys()], config.options, host);
  const out: Record<string, string[]> = {
    sdk: ts.getPreEmitDiagnostics(program).filter((d) => !files.has(d.file?.fileName ?? '')).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')),
  };
  for (const [file] of files) {
    const name = file.slice(dirname(file).length + '/__drift_'.length, -'__.ts'.length);
    out[name] = ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }
  return out;
}

describe('SDK route table against the generated OpenAPI types (compile time)', () => {
  const update = (change: string) => `{ name: 'tags.update', method: 'PATCH', path: '/tags/{tagId}', params: { tagId: str() }, body: { name: opt(str()), color: opt(str()) }, ${change} }`;
  let errors: Record<string, string[]>;

  beforeAll(() => {
    errors = compileWithRoutes({
      same: update(''),
      path: update("path: '/tag/{tagId}'"),
      method: update("method: 'PUT'"),
      extraField: update('body: { name: opt(str()), color: opt(str()), colour: opt(str()) }'),
      optionalRequired: `{ name: 'tags.create', method: 'POST', path: '/tags', body: { name: str(), color: opt(str()) } }`,
      missingRequired: `{ name: 'tags.create', method: 'POST', path: '/tags', body: { name: str() } }`,
      otherType: update('body: { name: opt(int()), color: opt(str()) }'),
      // POST /messages/send is text or media (oneOf): an SDK that cannot send media has drifted.
      textOnly: `{ name: 'messages.send', method: 'POST', path: '/messages/send', body: { sessionId: str(), agentName: str(), text: opt(str()), quotedMessageId: opt(str()), showAgentName: opt(bool()) } }`,
    });
  });

  it('accepts the route as the document has it, and the SDK itself compiles', () => {
    expect(errors.same).toEqual([]);
    expect(errors.sdk).toEqual([]);
  });

  it('refuses a path or method the document does not have, naming it', () => {
    expect(errors.path.join('\n')).toContain('"PATCH /tag/{tagId}"');
    expect(errors.method.join('\n')).toContain('"PUT /tags/{tagId}"');
  });

  it('refuses fields that are not the operation\'s: unknown, optional where required, missing, of another type', () => {
    for (const name of ['extraField', 'otherType']) expect(errors[name].join('\n')).toContain('"PATCH /tags/{tagId}"');
    for (const name of ['optionalRequired', 'missingRequired']) expect(errors[name].join('\n')).toContain('"POST /tags"');
    expect(errors.textOnly.join('\n')).toContain('"POST /messages/send"');
  });
});
