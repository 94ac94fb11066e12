import { ADMIN_ONLY_EXTENSION, PUBLIC_EXTENSION } from '../common/auth/auth.decorators';
import { OpenApiDocument, operationsOf } from './openapi-types';

/** Either scheme authenticates: the same opaque key as `Authorization: Bearer` or as `X-Api-Key`. */
export const API_KEY_SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { 'api-key': [] }];

const KEY_DESCRIPTION =
  'An account or admin API key. Keys are opaque strings (account keys look like `omk_…`), not JWTs: send them as they are.';

export const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'opaque API key', description: `${KEY_DESCRIPTION} \`Authorization: Bearer <key>\`.` },
  'api-key': { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: `${KEY_DESCRIPTION} The same key in \`X-Api-Key: <key>\`, for clients that cannot set Authorization.` },
} as const;

/** Headers shared by many routes, defined once and referenced. */
export const SHARED_PARAMETERS = {
  XRequestId: {
    name: 'X-Request-Id',
    in: 'header',
    required: false,
    description:
      'Your id for this call (8 to 100 of `A-Za-z0-9._-`): kept, echoed in the `X-Request-Id` response header and the error body, and on every log line. Otherwise (absent or malformed) one is generated.',
    schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{8,100}$' },
  },
  XClientIdentifier: {
    name: 'X-Client-Identifier',
    in: 'header',
    required: false,
    description:
      'The account to act on. An account key acts on its own account (another value: 403 ACCOUNT_MISMATCH); the admin key must name one here, in the body or in the query (400 ACCOUNT_REQUIRED).',
    schema: { type: 'string', maxLength: 128 },
    example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34',
  },
} as const;

export const SHARED_HEADERS = {
  XRequestId: { description: 'The id of this call, as sent in `X-Request-Id` or generated; quote it when reporting a problem.', schema: { type: 'string' } },
  RetryAfter: { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } },
} as const;

/** Whether the route needs a key (anything not marked @Public()). */
export function isAuthenticated(op: Record<string, unknown>): boolean {
  return op.security === undefined || (Array.isArray(op.security) && op.security.length > 0);
}

/**
 * Public routes get `security: []` (no lock); every other route takes the document's
 * requirement (bearer or X-Api-Key), whatever its controller declared. Every route documents
 * X-Request-Id; account routes document X-Client-Identifier.
 */
export function applySecurity(doc: OpenApiDocument): void {
  doc.components = { ...doc.components, securitySchemes: { ...SECURITY_SCHEMES } };
  doc.components.parameters = { ...doc.components.parameters, ...SHARED_PARAMETERS };
  doc.components.headers = { ...doc.components.headers, ...SHARED_HEADERS };
  doc.security = API_KEY_SECURITY;
  for (const { op } of operationsOf(doc)) {
    const isPublic = op[PUBLIC_EXTENSION] === true;
    const adminOnly = op[ADMIN_ONLY_EXTENSION] === true;
    if (isPublic) op.security = [];
    else delete op.security;
    const refs = [{ $ref: '#/components/parameters/XRequestId' }];
    if (!isPublic && !adminOnly) refs.push({ $ref: '#/components/parameters/XClientIdentifier' });
    op.parameters = [...(op.parameters ?? []), ...refs];
  }
}
