import type { OmnichannelError } from '../core/errors';
import type { InferField } from '../routes/fields';
import type { channelGroupShape, onboardingLinkShape, SESSION_STATES, sessionStatusShape } from '../routes/whatsapp.routes';

export type SessionState = (typeof SESSION_STATES)[number];
export interface SessionStatus extends InferField<typeof sessionStatusShape> {}

/**
 * A WhatsApp group of the channel's number: `id` (`…@g.us`) is the `recipientNumber` of group sends;
 * `isMember: false` for a group the number left; `isAdmin` includes the group's creator.
 */
export interface ChannelGroup extends InferField<typeof channelGroupShape> {}

/** A signed, short-lived link to the server's onboarding page (QR, pairing code, connected state). */
export interface OnboardingLink extends InferField<typeof onboardingLinkShape> {}

/** Names the channel to onboard: `channelId`, else `platformConfigId`, else `providerId` (the channel's clientNumber). */
export interface OnboardingLinkRequest {
  clientIdentifier?: string;
  /** The channel's WhatsApp number (clientNumber). Checked against the channel when an id is given too. */
  providerId?: string;
  platformConfigId?: string;
  channelId?: string;
  /** Origin of the page that opens the popup: the onboarding page then posts its messages only to it. */
  origin?: string;
}

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

export interface ChannelSessionDto {
  clientIdentifier?: string;
  channelId: string;
}

export interface RequestPairingCodeDto extends ChannelSessionDto {
  /** The WhatsApp number to link, with country code. */
  phoneNumber: string;
}
