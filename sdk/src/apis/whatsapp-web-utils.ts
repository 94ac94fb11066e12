import { ApiBase } from '../core/api-base';
import { OmnichannelError, SdkErrorCode } from '../core/errors';
import { channelRoutes } from '../routes/channels.routes';
import { assertShape, RouteInput, SameShape } from '../routes/route';
import { whatsappRoutes as r } from '../routes/whatsapp.routes';
import type {
  ChannelGroup,
  ChannelSessionDto,
  OnboardingLink,
  OnboardingLinkRequest,
  OnboardingProps,
  OnboardingResult,
  RequestPairingCodeDto,
  SessionStatus,
} from '../types/whatsapp';
import { browserWindow, DEFAULT_POPUP_FEATURES, safeCall, sdkError, toOmnichannelError, watchPopup } from '../whatsapp/onboarding-popup';

const digits = (value: string) => value.replace(/\D/g, '');

/** WhatsApp Web: onboarding popup (guide 1.2), onboarding links and the channel's session. */
export class WhatsappWebUtils extends ApiBase {
  /**
   * Opens the server's onboarding page in a popup (QR or pairing code) and reports through the
   * callbacks: onConnect once the channel is READY; onError if the popup is blocked or closed first,
   * no link could be made, or the page reports an error (its *Try again* may still connect). Call it
   * from a click handler. Resolves when onboarding ends (connected, or the popup closed); never rejects.
   */
  async onboarding(props: OnboardingProps): Promise<OnboardingResult> {
    const fail = (error: OmnichannelError): OnboardingResult => {
      safeCall(props.onError, error);
      return { connected: false, error };
    };
    const win = browserWindow();
    if (!win) return fail(sdkError(SdkErrorCode.NEEDS_BROWSER, 'onboarding() opens a popup: call it in a browser (use createOnboardingLink() on a server)'));
    // Opened before anything is awaited: popup blockers allow window.open only right after the user's click.
    let popup: Window | null = null;
    try {
      popup = win.open('about:blank', '_blank', props.popupFeatures ?? DEFAULT_POPUP_FEATURES);
    } catch {
      popup = null;
    }
    if (!popup) return fail(sdkError(SdkErrorCode.POPUP_BLOCKED, 'The browser blocked the onboarding popup: allow popups for this site and try again'));

    const origin = /^https?:\/\//.test(win.location.origin) ? win.location.origin : undefined;
    const request: OnboardingLinkRequest = { providerId: props.providerId, platformConfigId: props.platformConfigId, channelId: props.channelId, origin };
    let link: Pick<OnboardingLink, 'url'> & Partial<OnboardingLink>;
    try {
      link = props.createLink ? await props.createLink(request) : await this.createOnboardingLink(request);
    } catch (error) {
      popup.close();
      return fail(toOmnichannelError(error));
    }
    if (popup.closed) return fail(sdkError(SdkErrorCode.POPUP_CLOSED, 'The onboarding popup was closed before the channel connected'));
    popup.location.href = link.url;
    return watchPopup(win, popup, link, props);
  }

  /**
   * A signed, short-lived link to the onboarding page, for the channel named by `channelId`, else
   * `platformConfigId`, else `providerId` (the SDK finds the account's channel with that clientNumber).
   * Use it on your backend and hand the URL to your frontend (OnboardingProps.createLink).
   */
  async createOnboardingLink(request: OnboardingLinkRequest): Promise<OnboardingLink> {
    const { clientIdentifier, providerId, platformConfigId, origin } = request;
    let channelId = request.channelId;
    if (!channelId && !platformConfigId) {
      if (!providerId) throw sdkError(SdkErrorCode.CHANNEL_UNRESOLVED, 'Name the channel: providerId, platformConfigId or channelId');
      const channels = await this.client.call(channelRoutes.list, { clientIdentifier });
      const match = channels.find((c) => digits(c.provider.clientNumber) === digits(providerId));
      if (!match)
        throw new OmnichannelError({
          code: SdkErrorCode.CHANNEL_UNRESOLVED,
          status: 404,
          message: `No channel of this account has the number ${providerId}`,
          details: { providerId },
        });
      channelId = match.id;
    }
    return this.client.call(r.onboardingLink, { clientIdentifier, channelId, platformConfigId, providerId, origin });
  }

  getSession(dto: ChannelSessionDto): Promise<SessionStatus> {
    return this.client.call(r.status, dto);
  }

  /** Starts the session (idempotent): a linked channel becomes READY, otherwise a QR appears. */
  startSession(dto: ChannelSessionDto): Promise<SessionStatus> {
    return this.client.call(r.start, dto);
  }

  /** Closes the browser and keeps the link. */
  stopSession(dto: ChannelSessionDto): Promise<SessionStatus> {
    return this.client.call(r.stop, dto);
  }

  restartSession(dto: ChannelSessionDto): Promise<SessionStatus> {
    return this.client.call(r.restart, dto);
  }

  /** Unlinks the device; the next start shows a QR. */
  logout(dto: ChannelSessionDto): Promise<SessionStatus> {
    return this.client.call(r.logout, dto);
  }

  /** The raw QR text on screen (404 QR_NOT_AVAILABLE unless the state is QR). */
  getQr(dto: ChannelSessionDto): Promise<{ qr: string; expiresAt?: string }> {
    return this.client.call(r.qr, dto);
  }

  /**
   * The WhatsApp groups of the channel's number, sorted by subject, read live from its session
   * (422 CHANNEL_NOT_READY unless READY). Each `id` is the `recipientNumber` of group sends.
   */
  listGroups(dto: ChannelSessionDto): Promise<ChannelGroup[]> {
    return this.client.call(r.groups, dto);
  }

  /** Link by phone number instead of the QR: an 8-character code to type on the phone. */
  requestPairingCode(dto: RequestPairingCodeDto): Promise<{ code: string; formatted: string }> {
    return this.client.call(r.pairingCode, dto);
  }
}

assertShape<SameShape<ChannelSessionDto, RouteInput<typeof r.status>>>();
assertShape<SameShape<ChannelSessionDto, RouteInput<typeof r.groups>>>();
assertShape<SameShape<RequestPairingCodeDto, RouteInput<typeof r.pairingCode>>>();
assertShape<SameShape<OnboardingLinkRequest, RouteInput<typeof r.onboardingLink>>>();
