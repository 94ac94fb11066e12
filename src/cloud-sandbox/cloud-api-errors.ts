import { randomBytes } from 'node:crypto';

/**
 * Meta's Graph API error envelope and the Cloud API codes the fake produces. Titles and HTTP statuses
 * follow Meta's error-code reference; `delivery` says whether Meta answers the request with the error
 * (`sync`) or accepts it and reports a `failed` status webhook later (`async`).
 */
export interface CloudErrorSpec {
  title: string;
  httpStatus: number;
  delivery: 'sync' | 'async';
  type?: string;
}

export const CLOUD_ERRORS: Record<number, CloudErrorSpec> = {
  4: { title: 'Too many calls', httpStatus: 400, delivery: 'sync', type: 'OAuthException' },
  100: { title: 'Invalid parameter', httpStatus: 400, delivery: 'sync', type: 'OAuthException' },
  190: { title: 'Access token has expired', httpStatus: 401, delivery: 'sync', type: 'OAuthException' },
  80007: { title: 'Rate limit issues', httpStatus: 400, delivery: 'sync', type: 'OAuthException' },
  130429: { title: 'Rate limit hit', httpStatus: 400, delivery: 'sync', type: 'OAuthException' },
  131000: { title: 'Something went wrong', httpStatus: 500, delivery: 'sync', type: 'OAuthException' },
  131026: { title: 'Message undeliverable', httpStatus: 400, delivery: 'async' },
  131047: { title: 'Re-engagement message', httpStatus: 400, delivery: 'async' },
  131051: { title: 'Unsupported message type', httpStatus: 400, delivery: 'async' },
  131056: { title: '(Business Account, Consumer Account) pair rate limit hit', httpStatus: 400, delivery: 'sync' },
  132000: { title: 'Number of parameters does not match the expected number of params', httpStatus: 400, delivery: 'sync' },
  132001: { title: 'Template does not exist', httpStatus: 404, delivery: 'sync' },
};

export interface GraphErrorBody {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    error_data?: { messaging_product: 'whatsapp'; details: string };
    fbtrace_id: string;
  };
}

/** A thrown error that the router turns into Meta's envelope with the given HTTP status. */
export class GraphError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
    readonly httpStatus = CLOUD_ERRORS[code]?.httpStatus ?? 400,
    readonly subcode?: number,
  ) {
    super(details);
  }

  toBody(): GraphErrorBody {
    const spec = CLOUD_ERRORS[this.code];
    const title = spec?.title ?? 'Error';
    return {
      error: {
        message: this.code === 100 ? `(#100) ${this.details}` : `(#${this.code}) ${title}`,
        type: spec?.type ?? 'OAuthException',
        code: this.code,
        ...(this.subcode !== undefined ? { error_subcode: this.subcode } : {}),
        error_data: { messaging_product: 'whatsapp', details: this.details },
        fbtrace_id: fbtraceId(),
      },
    };
  }
}

/** The `errors[]` entry of a failed status webhook (asynchronous errors). */
export function webhookError(code: number, details?: string): Record<string, unknown> {
  const title = CLOUD_ERRORS[code]?.title ?? 'Error';
  return {
    code,
    title,
    message: title,
    error_data: { details: details ?? title },
    href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
  };
}

function fbtraceId(): string {
  return randomBytes(9).toString('base64url').slice(0, 11);
}
