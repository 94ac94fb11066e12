import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request } from 'express';
import type { Principal } from '../common/auth/principal';
import { RequestAuthenticator } from '../common/auth/request-authenticator';
import { AppError, CommonErrorCode } from '../common/errors/app-error';

/** Whose budget a request draws from, decided once per request. */
export interface RateBudget {
  kind: 'key' | 'anonymous';
  /** `key:<id>`, `admin`, or `ip:<address>`. */
  tracker: string;
}

const BUDGET = Symbol('rateBudget');
const NOT_LIMITED = 'rateLimit:skip';

/**
 * The route is never rate limited: health probes, which orchestrators send from one address
 * and which must not fail (a refused liveness probe restarts a healthy process).
 */
export const NotRateLimited = () => SetMetadata(NOT_LIMITED, true);
type BudgetedRequest = Request & { [BUDGET]?: RateBudget };

export function budgetOf(context: ExecutionContext): RateBudget | undefined {
  return context.switchToHttp().getRequest<BudgetedRequest>()[BUDGET];
}

function trackerOf(principal: Principal): string {
  return principal.kind === 'admin' ? 'admin' : `key:${principal.keyId}`;
}

/**
 * Global guard, registered before ApiKeyGuard. A request with a valid key (or console session)
 * counts against that key's budget on every route, public ones included; anything else (no
 * key, a wrong or revoked key) counts against its client IP's stricter anonymous budget, so
 * guessing keys or hammering public pages is bounded too. Over budget: 429 RATE_LIMITED with
 * Retry-After, before any other work. Routes marked @NotRateLimited() (health) are not counted.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    protected override readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
  ) {
    super(options, storage, reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(NOT_LIMITED, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<BudgetedRequest>();
    req[BUDGET] = await this.authenticator.authenticate(req).then(
      (principal): RateBudget => ({ kind: 'key', tracker: trackerOf(principal) }),
      // The auth guard answers the 401 once this request is within its IP's budget.
      async (): Promise<RateBudget> => ({ kind: 'anonymous', tracker: `ip:${await super.getTracker(req)}` }),
    );
    return super.canActivate(context);
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    return Promise.resolve((req as unknown as BudgetedRequest)[BUDGET]!.tracker);
  }

  /** One budget per key or IP across all routes (the library's default is one per route). */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new AppError(429, CommonErrorCode.RATE_LIMITED, `Rate limit exceeded: ${detail.limit} requests per ${detail.ttl / 1000} s; retry in ${detail.timeToBlockExpire} s`, {
      limit: detail.limit,
      windowSeconds: detail.ttl / 1000,
      retryAfterSeconds: detail.timeToBlockExpire,
    });
  }
}
