import { isOmnichannelError, OmnichannelError, SdkErrorCode } from '../core/errors';
import type { OnboardingLink, OnboardingMessage, OnboardingProps, OnboardingResult } from '../types/whatsapp';

export const ONBOARDING_MESSAGE_SOURCE = 'omnichannel-onboarding';
export const DEFAULT_POPUP_FEATURES = 'popup,width=480,height=720';
/** How often the SDK checks whether the user closed the popup. */
const CLOSED_POLL_MS = 300;
/** A `connected` message posted just before the popup closed may still be on its way: wait this long. */
const CLOSE_GRACE_MS = 150;

/** The browser window, or undefined outside browsers. */
export function browserWindow(): Window | undefined {
  const w = (globalThis as { window?: Window }).window;
  return w && typeof w.open === 'function' ? w : undefined;
}

export function sdkError(code: string, message: string, cause?: unknown): OmnichannelError {
  return new OmnichannelError({ code, status: 0, message, cause });
}

export function toOmnichannelError(error: unknown): OmnichannelError {
  if (isOmnichannelError(error)) return error;
  return sdkError(SdkErrorCode.FAILED, error instanceof Error ? error.message : String(error), error);
}

/** Calls a user callback; its exception is reported asynchronously instead of breaking the flow. */
export function safeCall<A>(callback: ((arg: A) => void) | undefined, arg: A): void {
  if (!callback) return;
  try {
    callback(arg);
  } catch (error) {
    setTimeout(() => {
      throw error;
    });
  }
}

/**
 * Follows the popup once it shows the onboarding page. Only messages from this popup and the link's
 * origin count. `connected` → onConnect, and onboarding ends. `error` → onError, but onboarding goes
 * on: the page offers *Try again*, which can still lead to `connected`. Closed before connecting →
 * onError(ONBOARDING_POPUP_CLOSED), unless the last attempt's error was already reported. `status` →
 * onStatus. The promise resolves when onboarding ends: connected, or the popup closed.
 */
export function watchPopup(win: Window, popup: Window, link: Pick<OnboardingLink, 'url'> & Partial<OnboardingLink>, props: OnboardingProps): Promise<OnboardingResult> {
  const expectedOrigin = new URL(link.url, win.location.href).origin;
  return new Promise((resolve) => {
    let done = false;
    /** The error of the current attempt, already given to onError (a new status starts a new attempt). */
    let reported: OmnichannelError | undefined;
    const finish = (result: OnboardingResult) => {
      if (done) return;
      done = true;
      win.removeEventListener('message', onMessage);
      clearInterval(closedPoll);
      resolve(result);
    };
    const onMessage = (event: MessageEvent) => {
      if (done || event.source !== popup || event.origin !== expectedOrigin) return;
      const data = event.data as OnboardingMessage | undefined;
      if (!data || typeof data !== 'object' || data.source !== ONBOARDING_MESSAGE_SOURCE) return;
      if (link.channelId && data.channelId && data.channelId !== link.channelId) return;
      if (data.type === 'status') {
        if (data.state !== 'READY') reported = undefined;
        safeCall(props.onStatus, data);
      } else if (data.type === 'connected') {
        safeCall(props.onConnect, data);
        finish({ connected: true, channelId: data.channelId ?? link.channelId, me: data.me });
      } else if (data.type === 'error') {
        reported = new OmnichannelError({
          code: data.error?.code ?? SdkErrorCode.FAILED,
          status: 0,
          message: data.error?.message ?? 'The onboarding page reported an error',
          details: data,
        });
        safeCall(props.onError, reported);
      }
    };
    win.addEventListener('message', onMessage);
    const closedPoll = setInterval(() => {
      if (!popup.closed) return;
      clearInterval(closedPoll);
      setTimeout(() => {
        if (done) return;
        if (reported) return finish({ connected: false, error: reported });
        const error = sdkError(SdkErrorCode.POPUP_CLOSED, 'The onboarding popup was closed before the channel connected');
        safeCall(props.onError, error);
        finish({ connected: false, error });
      }, CLOSE_GRACE_MS);
    }, CLOSED_POLL_MS);
  });
}
