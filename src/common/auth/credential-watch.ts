import { Injectable } from '@nestjs/common';
import { concatMap, EMPTY, exhaustMap, filter, from, interval, map, merge, MonoTypeOperatorFunction, Observable, of, takeWhile } from 'rxjs';
import { ApiKeyResolver, Principal } from './principal';

/** How often an open stream re-checks its key. */
export const CREDENTIAL_CHECK_MS = 5_000;
/** The API key cache window (ApiKeysService): a revoked key's streams end within it everywhere. */
export const KEY_WINDOW_MS = 30_000;

type Checked<T> = { active: boolean; value?: T; emit: boolean };

/**
 * Ends long-lived responses (SSE streams) when the key they were opened with stops being
 * valid. A guard admits a request once; a stream then runs for hours, so without this a
 * revoked key would go on receiving status, QR text and pairing codes. The key is re-checked
 * every CREDENTIAL_CHECK_MS and before each event goes out: in the process that revoked it the
 * stream ends within that interval (no event passes after the revocation), in other processes
 * within the key cache window (30 s).
 */
@Injectable()
export class CredentialWatch {
  constructor(private readonly keys: ApiKeyResolver) {}

  whileValid<T>(principal: Principal | undefined, checkMs = CREDENTIAL_CHECK_MS): MonoTypeOperatorFunction<T> {
    // The admin key is configuration: it changes only with a restart, which ends every stream.
    if (principal?.kind !== 'account') return (source) => source;
    // Answers at most (window - interval) old: a revocation anywhere is seen within the window.
    const maxAgeMs = Math.max(0, KEY_WINDOW_MS - checkMs);
    // A failed lookup (database away) keeps the stream: the next check decides.
    const active = () => from(this.keys.isActive(principal.keyId, maxAgeMs).catch(() => true));
    return (source: Observable<T>) =>
      merge(
        source.pipe(concatMap((value) => active().pipe(map((ok): Checked<T> => ({ active: ok, value, emit: true }))))),
        interval(checkMs).pipe(
          exhaustMap(() => active()),
          filter((ok) => !ok),
          map((): Checked<T> => ({ active: false, emit: false })),
        ),
      ).pipe(
        takeWhile((c) => c.active),
        concatMap((c) => (c.emit ? of(c.value as T) : EMPTY)),
      );
  }
}
