/** Reading the served OpenAPI document in contract tests. */
export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

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

/** The `code` enum a route documents for one status (undefined: the status is not documented as an error). */
export function documentedCodes(op: Json, status: number): string[] | undefined {
  const schema = op.responses?.[String(status)]?.content?.['application/json']?.schema;
  const parts: Json[] = schema?.allOf ?? [];
  return parts.find((p) => p.properties?.code?.enum)?.properties.code.enum;
}

/** A path with its parameters filled in. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? 'ffffffffffffffffffffffff'));
}
