import type { FieldMap, FieldSpec, RouteSpec } from '@cirrus/omnichannel_api';

/** The parts of an OpenAPI 3 document the comparison reads. */
export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}
interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
export interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  additionalProperties?: boolean | Schema;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * Differences between the SDK's route table and the server's OpenAPI document, as readable lines
 * (empty = in agreement). Checked both ways: every SDK route, field and type must exist on the
 * server with a compatible schema, and everything the server requires must be known to the SDK.
 */
export function compareRoutes(doc: OpenApiDoc, routes: readonly RouteSpec[]): string[] {
  const problems: string[] = [];
  for (const route of routes) {
    const where = `${route.name} (${route.method} ${route.path})`;
    const op = doc.paths[route.path]?.[route.method.toLowerCase()];
    if (!op) {
      const methods = Object.keys(doc.paths[route.path] ?? {}).filter((m) => METHODS.includes(m));
      problems.push(`${where}: no such route on the server${methods.length ? ` (path has ${methods.join(', ').toUpperCase()})` : ''}`);
      continue;
    }
    const params = op.parameters ?? [];
    compareParameters(problems, doc, where, 'path', route.params ?? {}, params.filter((p) => p.in === 'path'));
    compareParameters(problems, doc, where, 'query', route.query ?? {}, params.filter((p) => p.in === 'query' && p.name !== 'clientIdentifier'));

    const bodySchema = op.requestBody?.content?.['application/json']?.schema;
    if (route.body && !bodySchema) problems.push(`${where}: the SDK sends a JSON body, the server documents none`);
    if (!route.body && bodySchema) {
      const required = requiredOf(doc, bodySchema).filter((f) => f !== 'clientIdentifier');
      if (required.length || op.requestBody?.required) problems.push(`${where}: the server expects a body (${required.join(', ') || 'required'}), the SDK sends none`);
    }
    if (route.body && bodySchema) compareObject(problems, doc, `${where} body`, route.body, bodySchema, true);

    const answer = successSchema(op);
    if (route.response && answer) compareField(problems, doc, `${where} response`, route.response, answer, 'response');
  }
  return problems;
}

/** SDK routes whose answer the server does not document (the SDK's response type cannot be checked). */
export function undocumentedResponses(doc: OpenApiDoc, routes: readonly RouteSpec[]): string[] {
  return routes
    .filter((r) => r.response && !successSchema(doc.paths[r.path]?.[r.method.toLowerCase()]))
    .map((r) => `${r.name} (${r.method} ${r.path})`);
}

function successSchema(op: Operation | undefined): Schema | undefined {
  const ok = Object.entries(op?.responses ?? {}).find(([status]) => /^2\d\d$/.test(status));
  return ok?.[1].content?.['application/json']?.schema;
}

/** Server operations the SDK does not call, as `METHOD /path`. */
export function uncoveredOperations(doc: OpenApiDoc, routes: readonly RouteSpec[]): string[] {
  const covered = new Set(routes.map((r) => `${r.method} ${r.path}`));
  const out: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const method of Object.keys(ops)) {
      if (!METHODS.includes(method)) continue;
      const key = `${method.toUpperCase()} ${path}`;
      if (!covered.has(key)) out.push(key);
    }
  }
  return out.sort();
}

function compareParameters(problems: string[], doc: OpenApiDoc, where: string, kind: 'path' | 'query', sdk: FieldMap, server: NonNullable<Operation['parameters']>) {
  for (const [name, field] of Object.entries(sdk)) {
    const param = server.find((p) => p.name === name);
    if (!param) {
      problems.push(`${where}: ${kind} parameter "${name}" is not on the server`);
      continue;
    }
    compareField(problems, doc, `${where} ${kind} "${name}"`, field, param.schema ?? {});
    if (kind === 'query' && !field.optional && !param.required) problems.push(`${where}: query "${name}" is optional on the server, required in the SDK`);
  }
  for (const param of server) {
    if (!(param.name in sdk) && (kind === 'path' || param.required)) problems.push(`${where}: required ${kind} parameter "${param.name}" is unknown to the SDK`);
  }
}

type Direction = 'request' | 'response';

function compareObject(problems: string[], doc: OpenApiDoc, where: string, sdk: FieldMap, schema: Schema, topLevel: boolean, direction: Direction = 'request') {
  const s = resolve(doc, schema);
  const properties = propertiesOf(doc, s);
  if (!properties) {
    problems.push(`${where}: the server schema is not an object`);
    return;
  }
  const required = new Set(requiredOf(doc, s));
  for (const [name, field] of Object.entries(sdk)) {
    const prop = properties[name];
    if (!prop) {
      problems.push(`${where}: field "${name}" is not on the server`);
      continue;
    }
    compareField(problems, doc, `${where}.${name}`, field, prop, direction);
    if (!field.optional && !required.has(name)) problems.push(`${where}.${name}: optional on the server, required in the SDK`);
  }
  for (const name of required) {
    if (direction === 'request' && topLevel && name === 'clientIdentifier') continue; // sent as X-Client-Identifier on every route
    if (!(name in sdk)) problems.push(`${where}: required field "${name}" is unknown to the SDK`);
    // A request field the server requires must be required in the SDK type; an answer field the server
    // always sends may be typed optional by the SDK only on purpose, so that is reported too.
    else if (sdk[name].optional) problems.push(`${where}.${name}: required on the server, optional in the SDK`);
  }
}

function compareField(problems: string[], doc: OpenApiDoc, where: string, field: FieldSpec, schema: Schema, direction: Direction = 'request') {
  const s = resolve(doc, schema);
  if (field.kind === 'json') return;
  const alternatives = s.oneOf ?? s.anyOf;
  if (alternatives) {
    const attempts = alternatives.map((alt) => {
      const p: string[] = [];
      compareField(p, doc, where, field, alt, direction);
      return p;
    });
    if (!attempts.some((p) => p.length === 0)) problems.push(...attempts[0]);
    return;
  }
  const type = typeOf(doc, s);
  switch (field.kind) {
    case 'string':
      if (type !== 'string') return void problems.push(`${where}: SDK string, server ${type}`);
      if (field.format && field.format !== s.format) problems.push(`${where}: SDK format ${field.format}, server ${s.format ?? 'none'}`);
      return compareEnum(problems, where, field.enum, s.enum, direction);
    case 'integer':
      if (type !== 'integer' && type !== 'number') problems.push(`${where}: SDK integer, server ${type}`);
      return;
    case 'number':
      if (type !== 'number') problems.push(`${where}: SDK number, server ${type}`);
      return;
    case 'boolean':
      if (type !== 'boolean') problems.push(`${where}: SDK boolean, server ${type}`);
      return;
    case 'array':
      if (type !== 'array' || !s.items) return void problems.push(`${where}: SDK array, server ${type}`);
      return compareField(problems, doc, `${where}[]`, field.items, s.items, direction);
    case 'object':
      if (type !== 'object') return void problems.push(`${where}: SDK object, server ${type}`);
      return compareObject(problems, doc, where, field.fields, s, false, direction);
  }
}

function compareEnum(problems: string[], where: string, sdk: readonly string[] | undefined, server: unknown[] | undefined, direction: Direction) {
  if (!sdk && !server) return;
  // Sending fewer values than the server accepts is safe; reading fewer than it may send is not.
  if (!server) {
    if (direction === 'response') problems.push(`${where}: the SDK expects only [${sdk!.join(', ')}], the server documents any string`);
    return;
  }
  if (!sdk) return void problems.push(`${where}: the server accepts only [${server.join(', ')}], the SDK any string`);
  const a = [...sdk].sort().join(', ');
  const b = server.map(String).sort().join(', ');
  if (a !== b) problems.push(`${where}: SDK values [${a}], server values [${b}]`);
}

function resolve(doc: OpenApiDoc, schema: Schema, depth = 0): Schema {
  if (depth > 20) throw new Error('schema $ref cycle');
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`unresolved ${schema.$ref}`);
    return resolve(doc, target, depth + 1);
  }
  if (schema.allOf?.length === 1 && !schema.properties) return resolve(doc, schema.allOf[0], depth + 1);
  return schema;
}

function typeOf(doc: OpenApiDoc, schema: Schema): string {
  const s = resolve(doc, schema);
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  if (t) return t;
  if (s.properties || s.allOf) return 'object';
  if (s.enum) return typeof s.enum[0];
  return 'unknown';
}

function propertiesOf(doc: OpenApiDoc, schema: Schema): Record<string, Schema> | undefined {
  const s = resolve(doc, schema);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((part) => propertiesOf(doc, part) ?? {}), s.properties ?? {});
  // A body with alternatives (text | media): the SDK's one type may send the fields of any of them.
  if (s.oneOf && !s.properties) return Object.assign({}, ...s.oneOf.map((part) => propertiesOf(doc, part) ?? {}));
  if (s.properties) return s.properties;
  return typeOf(doc, s) === 'object' ? {} : undefined;
}

function requiredOf(doc: OpenApiDoc, schema: Schema): string[] {
  const s = resolve(doc, schema);
  // Required by every alternative = required (the SDK type holds them all, the rest optional).
  if (s.oneOf && !s.properties) {
    const [first, ...rest] = s.oneOf.map((part) => requiredOf(doc, part));
    return first.filter((name) => rest.every((r) => r.includes(name)));
  }
  return [...(s.required ?? []), ...(s.allOf ?? []).flatMap((part) => requiredOf(doc, part))];
}
