/** Reading the served OpenAPI document in contract tests. */
export type Json = any;

export const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

export interface Op {
  method: string;
  path: string;
  op: Json;
}

export function operations(doc: Json): Op[] {
  return Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method] })),
  );
}

/** One response of an operation, shared ones (components.responses) resolved. */
export function responseOf(doc: Json, op: Json, status: number | string): Json {
  const res = op.responses?.[String(status)];
  return res?.$ref ? doc.components.responses[res.$ref.split('/').pop()] : res;
}

/** The `code` enum a route documents for one status (undefined: the status is not documented as an error). */
export function documentedCodes(doc: Json, op: Json, status: number): string[] | undefined {
  const schema = responseOf(doc, op, status)?.content?.['application/json']?.schema;
  const parts: Json[] = schema?.allOf ?? [];
  return parts.find((p) => p.properties?.code?.enum)?.properties.code.enum;
}

/** A path with its parameters filled in. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? 'ffffffffffffffffffffffff'));
}

function resolve(doc: Json, schema: Json): Json {
  return schema?.$ref ? resolve(doc, doc.components.schemas[schema.$ref.split('/').pop()]) : schema;
}

/**
 * A body built from a schema the way Swagger UI builds its "Example Value": each property's
 * `example` (nested objects and arrays of objects built the same way). Properties without one are
 * left out where optional (Swagger UI would write a placeholder).
 */
export function exampleFromSchema(doc: Json, schema: Json): Json {
  const s = resolve(doc, schema);
  if (s.example !== undefined) return s.example;
  if (s.allOf) return Object.assign({}, ...s.allOf.map((part: Json) => exampleFromSchema(doc, part)));
  if (s.type === 'array' && s.items) return [exampleFromSchema(doc, s.items)];
  if (!s.properties) return s.default ?? s.enum?.[0];
  const out: Record<string, Json> = {};
  for (const [name, prop] of Object.entries(s.properties as Record<string, Json>)) {
    const p = resolve(doc, prop);
    const required = (s.required ?? []).includes(name);
    if (p.example !== undefined) out[name] = p.example;
    else if (required || p.properties || p.items?.$ref) {
      const value = exampleFromSchema(doc, prop);
      if (value !== undefined) out[name] = value;
    }
  }
  return out;
}

/** Every request example an operation documents (named), or the one Swagger UI would build. */
export function requestExamples(doc: Json, op: Json): { name: string; value: Json }[] {
  const media = op.requestBody?.content?.['application/json'];
  if (!media) return [];
  if (media.examples) return Object.entries(media.examples as Record<string, Json>).map(([name, ex]) => ({ name, value: ex.value }));
  if (media.example !== undefined) return [{ name: 'example', value: media.example }];
  return [{ name: 'built from the schema', value: exampleFromSchema(doc, media.schema) }];
}

/** Where a value strays from a schema: required keys missing, keys the schema does not describe, wrong enum/const. */
export function strays(doc: Json, schema: Json, value: Json, at = '$'): string[] {
  const s = resolve(doc, schema);
  const alternatives: Json[] | undefined = s.anyOf ?? s.oneOf;
  if (alternatives) {
    const tries = alternatives.map((alt) => strays(doc, alt, value, at));
    return tries.some((t) => t.length === 0) ? [] : tries[0];
  }
  if (s.type === 'null') return value === null ? [] : [`${at}: should be null`];
  if (s.enum && !s.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`];
  if (s.type === 'array' && Array.isArray(value) && s.items) return value.flatMap((v, i) => strays(doc, s.items, v, `${at}[${i}]`));
  if (!s.properties || !value || typeof value !== 'object') return [];
  const out = (s.required ?? []).filter((k: string) => !(k in value)).map((k: string) => `${at}.${k}: missing`);
  for (const [k, v] of Object.entries(value)) {
    if (!(k in s.properties)) out.push(`${at}.${k}: not described`);
    else out.push(...strays(doc, s.properties[k], v, `${at}.${k}`));
  }
  return out;
}
