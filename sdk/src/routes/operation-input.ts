import type { Operations } from '../generated/operations.gen';
import type { RouteKey } from './route';

type Part<D, K extends PropertyKey> = K extends keyof D ? ([NonNullable<D[K]>] extends [never] ? unknown : NonNullable<D[K]>) : unknown;
type Flatten<T> = { [K in keyof T]: T[K] };

/**
 * What a guide-style call of an operation takes, from the OpenAPI document: its path, query and
 * body fields as one flat object (the shape of the guide's DTOs), plus `clientIdentifier`, which
 * the SDK sends as the `X-Client-Identifier` header.
 */
export type OperationInput<K extends keyof Operations, D = Operations[K]['data']> = Flatten<
  Part<D, 'path'> & Part<D, 'query'> & Part<D, 'body'> & { clientIdentifier?: string }
>;

/** The document's input for a route of the table. */
export type DocumentedInput<R> = RouteKey<R> extends keyof Operations ? OperationInput<RouteKey<R>> : never;
