import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { AppError } from '../common/errors/app-error';
import { DependencyUnavailableError } from './redis-availability';

/** ioredis' own failures when the server is away: no offline queue, reply timeout, retries used up, closed. */
const REDIS_AWAY = /Stream isn't writeable|enableOfflineQueue|Command timed out|MaxRetriesPerRequest|Connection is closed|ECONNREFUSED|ECONNRESET/i;

export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error) || err instanceof AppError) return false;
  return err.name === 'MaxRetriesPerRequestError' || REDIS_AWAY.test(err.message);
}

/** An API call that met an unreachable Redis answers 503 DEPENDENCY_UNAVAILABLE, not 500. */
@Injectable()
export class RedisUnavailableInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((err: unknown) => throwError(() => (isRedisUnavailable(err) ? new DependencyUnavailableError('Redis', (err as Error).message) : err))),
    );
  }
}
