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
  /** Whether the key with this id is still valid, by an answer at most `maxAgeMs` old (default: the key cache's). */
  abstract isActive(keyId: string, maxAgeMs?: number): Promise<boolean>;
}

/**
 * Authenticates a request that carries no API key by another means (the operator console's
 * session cookie). Optional: provided by the console module; without it, no key means 401.
 */
export abstract class SessionAuthenticator {
  /** The session's principal, undefined when the request has no session; throws when it has a bad one. */
  abstract authenticate(req: AuthenticatedRequest): Promise<Principal | undefined>;
}
