import type { Request } from 'express';

/** Who is calling: the operator with the admin key, or one account's platform. */
export type Principal =
  | { kind: 'admin' }
  | { kind: 'account'; clientIdentifier: string; keyId: string };

export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

/**
 * Resolves API keys to principals. Implemented by the accounts module (stored, hashed
 * keys); registered under this abstract class so the guard does not depend on storage.
 */
export abstract class ApiKeyResolver {
  abstract resolve(key: string): Promise<Principal | undefined>;
}
