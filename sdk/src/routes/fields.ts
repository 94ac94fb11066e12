/**
 * A tiny schema language for the fields the SDK sends. The HTTP client builds every request from
 * these specs (path, query and body come only from declared fields); `tsc` checks them against the
 * types generated from the server's OpenAPI document (routes/index.ts), so they cannot drift.
 */
export type ScalarKind = 'string' | 'number' | 'integer' | 'boolean';

export type FieldSpec =
  | { readonly kind: ScalarKind; readonly optional: boolean; readonly enum?: readonly string[]; readonly format?: 'date-time' }
  /** Any JSON value the SDK passes through unchanged (webhook payloads, error details); `object: true`: a JSON object. */
  | { readonly kind: 'json'; readonly optional: boolean; readonly object?: boolean }
  | { readonly kind: 'array'; readonly optional: boolean; readonly items: FieldSpec }
  | { readonly kind: 'object'; readonly optional: boolean; readonly fields: FieldMap };

export interface FieldMap {
  readonly [name: string]: FieldSpec;
}

export const str = () => ({ kind: 'string', optional: false }) as const;
/** ISO 8601 date-time string. */
export const dateTime = () => ({ kind: 'string', optional: false, format: 'date-time' }) as const;
export const json = () => ({ kind: 'json', optional: false }) as const;
/** A JSON object the SDK passes through unchanged (e.g. Meta's template components). */
export const jsonObject = () => ({ kind: 'json', optional: false, object: true }) as const;
export const int = () => ({ kind: 'integer', optional: false }) as const;
export const num = () => ({ kind: 'number', optional: false }) as const;
export const bool = () => ({ kind: 'boolean', optional: false }) as const;
export const oneOf = <const E extends readonly string[]>(values: E) => ({ kind: 'string', optional: false, enum: values }) as const;
export const arr = <const I extends FieldSpec>(items: I) => ({ kind: 'array', optional: false, items }) as const;
export const obj = <const M extends FieldMap>(fields: M) => ({ kind: 'object', optional: false, fields }) as const;
export const opt = <const F extends FieldSpec>(field: F) => ({ ...field, optional: true }) as Omit<F, 'optional'> & { readonly optional: true };

type ScalarType<K> = K extends 'string' ? string : K extends 'boolean' ? boolean : number;

/** The TypeScript type a field spec accepts. */
export type InferField<F> = F extends { kind: 'array'; items: infer I }
  ? InferField<I>[]
  : F extends { kind: 'object'; fields: infer M }
    ? InferFields<M>
    : F extends { enum: readonly (infer E)[] }
      ? E
      : F extends { kind: 'json'; object: true }
        ? Record<string, unknown>
        : F extends { kind: 'json' }
          ? unknown
          : F extends { kind: infer K }
            ? ScalarType<K>
            : never;

type RequiredKeys<M> = { [K in keyof M]: M[K] extends { optional: true } ? never : K }[keyof M];
type OptionalKeys<M> = { [K in keyof M]: M[K] extends { optional: true } ? K : never }[keyof M];
type Flatten<T> = { [K in keyof T]: T[K] };

export type InferFields<M> = Flatten<{ [K in RequiredKeys<M>]: InferField<M[K]> } & { [K in OptionalKeys<M>]?: InferField<M[K]> }>;
