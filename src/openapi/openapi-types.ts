import type { OpenAPIObject } from '@nestjs/swagger';

export type OpenApiDocument = OpenAPIObject;
/** An operation as the document builder edits it: the typed fields plus our `x-` markers. */
export type Operation = Record<string, unknown> & {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: Record<string, unknown>[];
  requestBody?: Record<string, unknown>;
  responses: Record<string, Record<string, unknown>>;
};

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Every operation of the document with its method and path. */
export function operationsOf(doc: OpenApiDocument): { path: string; method: string; op: Operation }[] {
  const out: { path: string; method: string; op: Operation }[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = (item as Record<string, unknown>)[method] as Operation | undefined;
      if (op) out.push({ path, method, op });
    }
  }
  return out;
}
