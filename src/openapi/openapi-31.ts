import { OpenApiDocument } from './openapi-types';

type Node = Record<string, unknown>;

/** One schema with `nullable: true` (OpenAPI 3.0) rewritten the 3.1 way (JSON Schema's `null` type). */
function withoutNullable(schema: Node): Node {
  const { nullable: _, ...rest } = schema;
  if (!rest.$ref && !rest.allOf && !rest.oneOf && !rest.anyOf && typeof rest.type === 'string') return { ...rest, type: [rest.type, 'null'] };
  // A reference (bare, or wrapped in allOf to carry a description): the value or null.
  const { description, type: _type, ...target } = rest;
  return { ...(description ? { description } : {}), anyOf: [target, { type: 'null' }] };
}

function walk(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(walk);
  if (!value || typeof value !== 'object') return value;
  const node = Object.fromEntries(Object.entries(value as Node).map(([k, v]) => [k, walk(v)]));
  return node.nullable === true ? withoutNullable(node) : node;
}

/**
 * @nestjs/swagger writes 3.0 schemas; the document is 3.1 (for `webhooks`), whose schemas are JSON
 * Schema: `nullable` becomes a `null` type. Nothing else it emits differs between the two.
 */
export function toOpenApi31(doc: OpenApiDocument): void {
  doc.openapi = '3.1.0';
  doc.paths = walk(doc.paths) as OpenApiDocument['paths'];
  if (doc.components) doc.components = walk(doc.components) as OpenApiDocument['components'];
}
