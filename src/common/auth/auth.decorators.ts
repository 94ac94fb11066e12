import { SetMetadata, applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { AppError, CommonErrorCode } from '../errors/app-error';
import type { AuthenticatedRequest, Principal } from './principal';

export const IS_PUBLIC = 'auth:isPublic';
export const ADMIN_ONLY = 'auth:adminOnly';

/** Read by the OpenAPI document builder (src/openapi/security.ts), which removes them from the published document. */
export const PUBLIC_EXTENSION = 'x-public';
export const ADMIN_ONLY_EXTENSION = 'x-admin-only';

/** Route needs no key (health, signed onboarding links). Use sparingly. Documented with `security: []`. */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(PUBLIC_EXTENSION, true));

/** Route needs the admin key (documented with 403 ADMIN_KEY_REQUIRED). */
export const AdminOnly = () => applyDecorators(SetMetadata(ADMIN_ONLY, true), ApiExtension(ADMIN_ONLY_EXTENSION, true));

/** The caller, as resolved by the guard. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  if (!req.principal) throw AppError.unauthorized(CommonErrorCode.UNAUTHENTICATED, 'An API key is required');
  return req.principal;
});

/** Reads the clientIdentifier a request names, wherever the guide's DTOs put it. */
export function requestedAccount(req: AuthenticatedRequest): string | undefined {
  const fromBody = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>).clientIdentifier : undefined;
  const fromQuery = (req.query as Record<string, unknown> | undefined)?.clientIdentifier;
  const fromHeader = req.headers['x-client-identifier'];
  const value = fromBody ?? fromQuery ?? fromHeader;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * The account a request acts on. An account key always acts on its own account (the guard
 * already refused a different clientIdentifier); the admin key must name one.
 */
export function accountIdOf(req: AuthenticatedRequest): string {
  const principal = req.principal;
  if (principal?.kind === 'account') return principal.clientIdentifier;
  const named = requestedAccount(req);
  if (!named)
    throw AppError.badRequest(
      CommonErrorCode.ACCOUNT_REQUIRED,
      'The admin key must name the account: pass clientIdentifier (body, query or X-Client-Identifier header)',
    );
  return named;
}

/** The handler parameter form of accountIdOf. */
export const AccountId = createParamDecorator((_: unknown, ctx: ExecutionContext): string =>
  accountIdOf(ctx.switchToHttp().getRequest<AuthenticatedRequest>()),
);
