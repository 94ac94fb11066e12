import { GraphError } from './cloud-api-errors';

/**
 * A tiny declarative schema, strict like the Graph API: unknown keys, missing required keys, wrong types
 * and out-of-range values are all `(#100)` errors naming the parameter in Meta's `a['b'][0]` notation.
 */
export type Shape =
  | { t: 'string'; enum?: readonly string[]; max?: number; allowEmpty?: boolean }
  | { t: 'number' }
  | { t: 'numberish' }
  | { t: 'boolean' }
  | { t: 'object'; fields: Record<string, Shape>; required?: readonly string[]; oneOf?: readonly string[] }
  | { t: 'array'; items: Shape; min?: number; max?: number }
  | { t: 'union'; by: string; cases: Record<string, Shape> };

export const str = (max?: number): Shape => ({ t: 'string', max });
export const oneOfStr = (...values: string[]): Shape => ({ t: 'string', enum: values });
export const obj = (fields: Record<string, Shape>, required: string[] = [], oneOf?: string[]): Shape => ({
  t: 'object',
  fields,
  required,
  oneOf,
});
export const arr = (items: Shape, min?: number, max?: number): Shape => ({ t: 'array', items, min, max });

export function validateShape(value: unknown, shape: Shape, path: string): void {
  switch (shape.t) {
    case 'string':
      if (typeof value !== 'string') throw invalid(`Param ${path} must be a string.`);
      if (!shape.allowEmpty && value.length === 0 && !shape.enum) throw invalid(`Param ${path} must be non-empty.`);
      if (shape.enum && !shape.enum.includes(value)) {
        throw invalid(`Param ${path} must be one of {${shape.enum.join(', ')}} - got "${value}".`);
      }
      if (shape.max !== undefined && [...value].length > shape.max) {
        throw invalid(`Param ${path} must be at most ${shape.max} characters long.`);
      }
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`Param ${path} must be a number.`);
      return;
    case 'numberish':
      if (!(typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !isNaN(Number(value))))) {
        throw invalid(`Param ${path} must be a number.`);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(`Param ${path} must be a boolean.`);
      return;
    case 'array':
      if (!Array.isArray(value)) throw invalid(`Param ${path} must be an array.`);
      if (shape.min !== undefined && value.length < shape.min) {
        throw invalid(`Param ${path} must have at least ${shape.min} element(s).`);
      }
      if (shape.max !== undefined && value.length > shape.max) {
        throw invalid(`Param ${path} must have at most ${shape.max} elements.`);
      }
      value.forEach((item, i) => validateShape(item, shape.items, `${path}[${i}]`));
      return;
    case 'union': {
      const record = asRecord(value, path);
      const tag = record[shape.by];
      if (tag === undefined) throw invalid(`The parameter ${path}['${shape.by}'] is required.`);
      const keys = Object.keys(shape.cases);
      if (typeof tag !== 'string' || !keys.includes(tag)) {
        throw invalid(`Param ${path}['${shape.by}'] must be one of {${keys.join(', ')}} - got "${String(tag)}".`);
      }
      validateShape(value, shape.cases[tag], path);
      return;
    }
    case 'object': {
      const record = asRecord(value, path);
      for (const key of Object.keys(record)) {
        if (!(key in shape.fields)) throw invalid(`Unexpected key "${key}" on param "${path || 'message'}".`);
      }
      for (const key of shape.required ?? []) {
        if (record[key] === undefined) throw invalid(`The parameter ${child(path, key)} is required.`);
      }
      if (shape.oneOf) {
        const present = shape.oneOf.filter((k) => record[k] !== undefined);
        if (present.length !== 1) {
          throw invalid(`Param ${path} must contain exactly one of {${shape.oneOf.join(', ')}}.`);
        }
      }
      for (const [key, item] of Object.entries(record)) {
        validateShape(item, shape.fields[key], child(path, key));
      }
      return;
    }
  }
}

function child(path: string, key: string): string {
  return path ? `${path}['${key}']` : key;
}

function asRecord(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`Param ${path} must be a JSON object.`);
  }
  return value as Record<string, unknown>;
}

function invalid(details: string): GraphError {
  return new GraphError(100, details);
}
