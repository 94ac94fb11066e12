import type { FieldMap, FieldSpec, InferField, InferFields } from './fields';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * One server route as the SDK calls it. `path` uses OpenAPI's `{name}` placeholders, each one a
 * declared path parameter. A payload field goes to the path, the query or the JSON body according
 * to where it is declared; `clientIdentifier` is accepted by every route and travels in the
 * `X-Client-Identifier` header (the server checks it against the key's account).
 */
export interface RouteSpec {
  readonly name: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly params?: FieldMap;
  readonly query?: FieldMap;
  readonly body?: FieldMap;
  /** Shape of the success answer (the response types are derived from it; the drift test checks it). */
  readonly response?: FieldSpec;
  /** What the route does, for the drift report and docs. */
  readonly summary?: string;
}

export const CLIENT_IDENTIFIER_HEADER = 'X-Client-Identifier';

export function route<const R extends RouteSpec>(spec: R): R {
  for (const placeholder of spec.path.matchAll(/\{(\w+)\}/g)) {
    if (!spec.params?.[placeholder[1]]) throw new Error(`route ${spec.name}: {${placeholder[1]}} is not a declared path parameter`);
  }
  return spec;
}

type Fields<R, K extends 'params' | 'query' | 'body'> = R extends { [P in K]: infer M } ? InferFields<M> : unknown;

/** Everything a call of route R accepts, as one flat object (the shape the guide's DTOs have). */
export type RouteInput<R extends RouteSpec> = Fields<R, 'params'> & Fields<R, 'query'> & Fields<R, 'body'> & { clientIdentifier?: string };

/** What a call of route R resolves to. */
export type RouteOutput<R extends RouteSpec> = R extends { response: infer S } ? InferField<S> : unknown;

/** Compile-time proof that a hand-written DTO is exactly what a route accepts (same keys, same types). */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? ([keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false) : false) : false;
export function assertShape<_T extends true>(): void {}
