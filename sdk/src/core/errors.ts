/** Codes the SDK raises itself (the server's codes are UPPER_SNAKE strings like CONTACT_NOT_FOUND). */
export const SdkErrorCode = {
  /** No base URL configured (configure() or OMNICHANNEL_API_URL). */
  NOT_CONFIGURED: 'SDK_NOT_CONFIGURED',
  /** A payload field this SDK version does not know for the route. */
  UNKNOWN_FIELD: 'SDK_UNKNOWN_FIELD',
  /** A path parameter (contactId, tagId…) is missing or empty. */
  MISSING_PARAMETER: 'SDK_MISSING_PARAMETER',
  /** The server could not be reached, or the request timed out / was aborted. */
  NETWORK_ERROR: 'SDK_NETWORK_ERROR',
  /** The server answered something that is not the documented JSON. */
  INVALID_RESPONSE: 'SDK_INVALID_RESPONSE',
  /** Onboarding: the browser refused to open the popup. */
  POPUP_BLOCKED: 'ONBOARDING_POPUP_BLOCKED',
  /** Onboarding: the popup was closed before the channel connected. */
  POPUP_CLOSED: 'ONBOARDING_POPUP_CLOSED',
  /** Onboarding: needs a browser window (window.open). */
  NEEDS_BROWSER: 'ONBOARDING_NEEDS_BROWSER',
  /** Onboarding: none of providerId, platformConfigId, channelId identifies a channel. */
  CHANNEL_UNRESOLVED: 'ONBOARDING_CHANNEL_UNRESOLVED',
  /** Onboarding: the popup page reported an error (its code is in details). */
  FAILED: 'ONBOARDING_FAILED',
} as const;

export interface OmnichannelErrorInit {
  code: string;
  message: string;
  /** HTTP status; 0 when the error happened before or without a response. */
  status: number;
  requestId?: string;
  details?: unknown;
  cause?: unknown;
}

/** Every failure of the SDK: the server's `{ statusCode, code, message, details?, requestId }` or an SDK_* code. */
export class OmnichannelError extends Error {
  override readonly name = 'OmnichannelError';
  readonly code: string;
  readonly status: number;
  readonly requestId?: string;
  readonly details?: unknown;

  constructor(init: OmnichannelErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.requestId = init.requestId;
    this.details = init.details;
  }

  /** Builds the error from a non-2xx response body (the server's error model, or anything else). */
  static fromResponse(status: number, body: unknown, requestIdHeader?: string | null): OmnichannelError {
    const b = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const code = typeof b.code === 'string' ? b.code : `HTTP_${status}`;
    const message = typeof b.message === 'string' ? b.message : typeof body === 'string' && body ? body.slice(0, 500) : `HTTP ${status}`;
    const requestId = typeof b.requestId === 'string' ? b.requestId : (requestIdHeader ?? undefined);
    return new OmnichannelError({ code, message, status, requestId, details: b.details });
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, status: this.status, message: this.message, requestId: this.requestId, details: this.details };
  }
}

/** `instanceof` fails across two copies of the SDK (e.g. bundle + node_modules): this does not. */
export function isOmnichannelError(error: unknown): error is OmnichannelError {
  return error instanceof OmnichannelError || (error instanceof Error && error.name === 'OmnichannelError' && typeof (error as OmnichannelError).code === 'string');
}
