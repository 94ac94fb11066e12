import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, CommonErrorCode } from '../errors/app-error';
import { ADMIN_ONLY, IS_PUBLIC, requestedAccount } from './auth.decorators';
import { AuthenticatedRequest } from './principal';
import { RequestAuthenticator } from './request-authenticator';

export { extractApiKey } from './request-authenticator';

/** Global guard: every route needs a key unless marked @Public(). */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticator.authenticate(req);
    if (principal.kind === 'admin') {
      req.principal = principal;
      return true;
    }
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets))
      throw AppError.forbidden(CommonErrorCode.ADMIN_KEY_REQUIRED, 'This route needs the admin key');
    req.principal = principal;

    const named = requestedAccount(req);
    if (principal.kind === 'account' && named !== undefined && named !== principal.clientIdentifier)
      throw AppError.forbidden(CommonErrorCode.ACCOUNT_MISMATCH, 'This API key belongs to another account');
    return true;
  }
}
