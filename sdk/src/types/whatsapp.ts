import type * as Api from '../generated';
import type { OperationInput } from '../routes/operation-input';
import type { OmnichannelError } from '../core/errors';

export type SessionState = Api.SessionStatusResponse['state'];
export interface SessionStatus extends Api.SessionStatusResponse {}

/**
 * A WhatsApp group of the channel's number: `id` (`…@g.us`) is the `recipientNumber` of group sends;
 * `isMember: false` for a group the number left; `isAdmin` includes the group's creator.
 */
export interface ChannelGroup extends Api.ChannelGroupResponse {}

/** A signed, short-lived link to the server's onboarding page (QR, pairing code, connected state). */
export interface OnboardingLink extends Api.OnboardingLinkResponse {}

/** Names the channel to onboard: `channelId`, else `platformConfigId`, else `providerId` (the channel's clientNumber). */
export type OnboardingLinkRequest = OperationInput<'POST /onboarding/links'>;

/** What the onboarding page tells its opener (`window.postMessage`). */
export interface OnboardingMessage {
  source: 'omnichannel-onboarding';
  version: number;
  type: 'status' | 'connected' | 'error';
  channelId?: string;
  state?: SessionState | null;
  reason?: string | null;
  /** The linked WhatsApp id, on `connected`. */
  me?: string | null;
  error?: { code: string; message: string };
}

/** SDK guide 1.2. */
export interface OnboardingProps {
  /** The channel's WhatsApp number (clientNumber); enough on its own to find the channel. */
  providerId?: string;
  /** Called once, when the channel is connected (READY); onboarding then ends. */
  onConnect: (event: OnboardingMessage) => void;
  /**
   * Called when onboarding fails: the popup was blocked or closed before connecting, the link could
   * not be made, or the page reported an error (QR_TIMEOUT, SESSION_FAILED…). A page error is not
   * final: its *Try again* can still lead to onConnect.
   */
  onError: (error: OmnichannelError) => void;
  platformConfigId?: string;
  channelId?: string;
  /** Every state the session goes through (STARTING, QR, AUTHENTICATED, READY…). */
  onStatus?: (event: OnboardingMessage) => void;
  /**
   * Where the link comes from. Default: the SDK asks the server (needs a configured key or a baseUrl
   * that proxies through your backend). Pass a function that asks your own backend instead, which
   * calls `WhatsappWebUtils.createOnboardingLink()` with the key: the key never reaches the browser.
   */
  createLink?: (request: OnboardingLinkRequest) => Promise<Pick<OnboardingLink, 'url'> & Partial<OnboardingLink>>;
  /** `window.open` features of the popup (default `popup,width=480,height=720`). */
  popupFeatures?: string;
}

/** How an onboarding ended: connected, or the popup closed (the promise of `onboarding()` never rejects). */
export type OnboardingResult = { connected: true; channelId?: string; me?: string | null } | { connected: false; error: OmnichannelError };

export type ChannelSessionDto = OperationInput<'GET /channels/{channelId}/session'>;

export type RequestPairingCodeDto = OperationInput<'POST /channels/{channelId}/session/pairing-code'>;
