import { AppError } from '../../common/errors/app-error';
import { WhatsappErrorCode } from '../../whatsapp/whatsapp.errors';
import { CloudApiError } from '../../providers/cloud/cloud-client';

export class SendTimeoutError extends Error {
  constructor(ms: number) {
    super(`WhatsApp did not confirm the send within ${ms} ms`);
    this.name = 'SendTimeoutError';
  }
}

/** The browser or page went away under the call: the session is restarting, not the message's fault. */
const SESSION_GONE = /Target closed|Session closed|detached|Execution context was destroyed|Protocol error|Connection closed|browser has disconnected|not running|is stopped/i;

/** Failures worth another try once the session is back: it was not READY, vanished mid-call, or timed out. */
export function isTransient(err: unknown): boolean {
  if (err instanceof SendTimeoutError) return true;
  if (err instanceof CloudApiError) return err.failure.transient;
  if (err instanceof AppError) return err.code === WhatsappErrorCode.CHANNEL_NOT_READY || err.code === WhatsappErrorCode.SESSION_NOT_LOCAL;
  return err instanceof Error && SESSION_GONE.test(err.message);
}

/** The official API's throttling (Meta 4, 80007, 130429, 131056, HTTP 429): wait as told, not a failed try. */
export function throttledFor(err: unknown): number | undefined {
  if (!(err instanceof CloudApiError) || !err.failure.transient || err.failure.reason !== 'PROVIDER_RATE_LIMITED') return undefined;
  return err.failure.retryAfterMs ?? 1000;
}

/** The stable reason a provider refusal is stored under (statusReason), when it gave one. */
export function providerReason(err: unknown): string | undefined {
  return err instanceof CloudApiError ? err.failure.reason : undefined;
}

export function describeError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeoutError(ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Sleeps `ms`, or less when the signal aborts (resolves false then). */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
