import type { OperationKey, Operations } from '../generated/operations.gen';
import type { FieldMap, InferFields } from './fields';
import type { DocumentedInput } from './operation-input';

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
}

export const CLIENT_IDENTIFIER_HEADER = 'X-Client-Identifier';

/** A route's key in the generated operation index: `METHOD /path`. */
export type RouteKey<R> = R extends { method: infer M extends string; path: infer P extends string } ? `${M} ${P}` : never;

/** Keys of routes R the OpenAPI document does not have (never when all are on the server). */
export type RoutesOffTheDocument<R> = Exclude<RouteKey<R>, OperationKey>;

/** Keys of routes R whose fields are not what the document's operation takes (never when all are). */
export type RoutesWithOtherInput<R> = R extends RouteSpec
  ? Fits<RouteInput<R>, DocumentedInput<R>> extends true
    ? never
    : CoversAlternatives<RouteInput<R>, DocumentedInput<R>> extends true
      ? never
      : RouteKey<R>
  : never;

export function route<const R extends RouteSpec>(spec: R): R {
  for (const placeholder of spec.path.matchAll(/\{(\w+)\}/g)) {
    if (!spec.params?.[placeholder[1]]) throw new Error(`route ${spec.name}: {${placeholder[1]}} is not a declared path parameter`);
  }
  return spec;
}

type Fields<R, K extends 'params' | 'query' | 'body'> = R extends { [P in K]: infer M } ? InferFields<M> : unknown;

/** Everything a call of route R accepts, as one flat object (the shape the guide's DTOs have). */
export type RouteInput<R extends RouteSpec> = Fields<R, 'params'> & Fields<R, 'query'> & Fields<R, 'body'> & { clientIdentifier?: string };

/** What a call of route R resolves to: the success answer the OpenAPI document gives it (sdk/src/generated). */
export type RouteOutput<R extends RouteSpec> = RouteKey<R> extends OperationKey ? Operations[RouteKey<R>]['response'] : never;

/** Compile-time proof that a hand-written DTO is exactly what a route accepts (same keys, same types). */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? ([keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false) : false) : false;
export function assertShape<_T extends true>(): void {}

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/**
 * A is what B describes, possibly narrower: the same keys, the same ones required, every value of
 * A a value of B (the SDK may type a path parameter as the enum the server checks, where the
 * document says string).
 */
export type Fits<A, B> = [A] extends [B]
  ? SameKeys<keyof A, keyof B> extends true
    ? SameKeys<RequiredKeys<A>, RequiredKeys<B>>
    : false
  : false;
/**
 * For a body the document gives as alternatives (`oneOf`: text or media), where the SDK takes one
 * flat object: every alternative can be sent as A (its keys are A's, A requires only keys it has),
 * and A has no key that no alternative has.
 */
export type CoversAlternatives<A, B> = IsUnion<B> extends true
  ? [B extends unknown ? ([B] extends [A] ? ([keyof B] extends [keyof A] ? ([RequiredKeys<A>] extends [keyof B] ? true : false) : false) : false) : never] extends [true]
    ? [keyof A] extends [B extends unknown ? keyof B : never]
      ? true
      : false
    : false
  : false;
type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;
type SameKeys<X, Y> = [X] extends [Y] ? ([Y] extends [X] ? true : false) : false;
/** Compile-time proof that a union is empty; the error names what is in it. */
export function assertNone<_T extends never>(): void {}
