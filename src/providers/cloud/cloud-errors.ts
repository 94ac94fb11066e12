/**
 * What a Cloud API error means for the send queue: retry later (transient) or fail the message with a
 * stable reason. Reads Meta's Graph envelope, 360dialog's own envelope, and whatever else a proxy
 * answers (HTML, nothing). Codes follow Meta's Cloud API error-code reference.
 */
export interface CloudFailure {
  transient: boolean;
  code?: number;
  /** Stable code for statusReason / API errors. */
  reason: string;
  /** Human text with Meta's code, e.g. "(#131047) Re-engagement message". */
  message: string;
  retryAfterMs?: number;
  /** Meta refused a free-form message: the 24-hour customer service window is closed (template needed). */
  outsideWindow?: boolean;
}

export const CloudFailureReason = {
  RATE_LIMITED: 'PROVIDER_RATE_LIMITED',
  UNAVAILABLE: 'PROVIDER_UNAVAILABLE',
  OUTSIDE_SERVICE_WINDOW: 'OUTSIDE_SERVICE_WINDOW',
  UNDELIVERABLE: 'UNDELIVERABLE',
  UNSUPPORTED_MESSAGE_TYPE: 'UNSUPPORTED_MESSAGE_TYPE',
  TEMPLATE_ERROR: 'TEMPLATE_ERROR',
  AUTH_FAILED: 'PROVIDER_AUTH_FAILED',
  REJECTED: 'PROVIDER_REJECTED',
  ERROR: 'PROVIDER_ERROR',
} as const;

const R = CloudFailureReason;

/**
 * Throttling codes and the wait that usually clears them: 131056 is the per-recipient pair limit
 * (about one message every 6 s), 130429 the number's throughput, 4 and 80007 the app/account call
 * budgets, which refill over minutes.
 */
const RATE_LIMIT_MS: Record<number, number> = { 4: 60_000, 80007: 60_000, 130429: 2_000, 131056: 6_000 };
/** Meta-side trouble that its reference says to retry: unknown/service errors, overload, maintenance. */
const UNAVAILABLE_CODES = new Set([1, 2, 131000, 131016, 131057, 133004]);
const UNAVAILABLE_MS = 5_000;
const HTTP_429_MS = 10_000;

interface Parsed {
  code?: number;
  text: string;
  details?: string;
  /** The HTTP status a wrapper (360dialog's `meta.http_code`) reports, when the transport's differs. */
  httpStatus?: number;
}

/** `retryAfter`: the response's Retry-After header, when the caller has it (seconds or an HTTP date). */
export function classifyCloudError(httpStatus: number, body: unknown, retryAfter?: string | null): CloudFailure {
  const parsed = parseBody(body, httpStatus);
  const status = parsed.httpStatus ?? httpStatus;
  const failure = classify(parsed.code, status, describe(parsed));
  const hinted = parseRetryAfter(retryAfter);
  return failure.transient && hinted !== undefined ? { ...failure, retryAfterMs: hinted } : failure;
}

/** The `errors[]` entry of a `failed` status webhook. */
export function failureFromWebhookError(err: {
  code: number;
  title?: string;
  message?: string;
  error_data?: { details?: string };
}): CloudFailure {
  const parsed: Parsed = { code: err.code, text: redact(err.title || err.message || 'Error'), details: clean(err.error_data?.details) };
  return classify(err.code, undefined, describe(parsed));
}

function classify(code: number | undefined, status: number | undefined, message: string): CloudFailure {
  const base = { ...(code !== undefined ? { code } : {}), message };
  const fail = (reason: string, extra: Partial<CloudFailure> = {}): CloudFailure => ({ transient: false, ...base, reason, ...extra });
  const retry = (reason: string, ms: number): CloudFailure => ({ transient: true, ...base, reason, retryAfterMs: ms });

  // Meta's code decides first: a known permanent code stays permanent whatever the HTTP status.
  if (code !== undefined) {
    if (code === 131047) return fail(R.OUTSIDE_SERVICE_WINDOW, { outsideWindow: true });
    if (code === 131026) return fail(R.UNDELIVERABLE);
    if (code === 131051) return fail(R.UNSUPPORTED_MESSAGE_TYPE);
    if (code >= 132000 && code <= 132999) return fail(R.TEMPLATE_ERROR);
    // 190: bad or expired token; 10 and 200-299: the token lacks a permission. Only the operator can fix it.
    if (code === 190 || code === 10 || (code >= 200 && code <= 299)) return fail(R.AUTH_FAILED);
    // 100 and its WhatsApp-specific forms (missing / invalid parameter): the request itself is wrong.
    if (code === 100 || code === 131008 || code === 131009) return fail(R.REJECTED);
    if (code in RATE_LIMIT_MS) return retry(R.RATE_LIMITED, RATE_LIMIT_MS[code]);
    if (UNAVAILABLE_CODES.has(code)) return retry(R.UNAVAILABLE, UNAVAILABLE_MS);
  }
  if (status === 401) return fail(R.AUTH_FAILED);
  if (status === 429) return retry(R.RATE_LIMITED, HTTP_429_MS);
  if (status !== undefined && status >= 500) return retry(R.UNAVAILABLE, UNAVAILABLE_MS);
  return fail(R.ERROR);
}

function parseBody(body: unknown, httpStatus: number): Parsed {
  let value = body ?? '';
  if (typeof value === 'string' || Buffer.isBuffer(value)) {
    const text = value.toString().trim();
    try {
      value = JSON.parse(text);
    } catch {
      return { text: text ? `HTTP ${httpStatus}: ${snippet(text)}` : `HTTP ${httpStatus} with an empty body` };
    }
  }
  const rec = asRecord(value);
  const error = asRecord(rec?.error);
  if (error) {
    // Meta's Graph envelope (360dialog's Cloud API proxy passes it through unchanged).
    const data = asRecord(error.error_data);
    return {
      code: num(error.code),
      text: redact(str(error.message) ?? str(error.error_user_title) ?? `HTTP ${httpStatus}`),
      details: clean(str(data?.details) ?? str(error.error_user_msg)),
    };
  }
  const first = Array.isArray(rec?.errors) ? asRecord(rec.errors[0]) : undefined;
  if (first) {
    // The On-Premise style `errors[]` some 360dialog endpoints still answer with.
    return { code: num(first.code), text: redact(str(first.title) ?? str(first.message) ?? `HTTP ${httpStatus}`), details: clean(str(first.details)) };
  }
  const meta = asRecord(rec?.meta);
  if (meta && meta.success === false) {
    // 360dialog's own errors (bad D360-API-KEY, unknown channel): no Meta code, its own HTTP code.
    const code = num(meta.http_code);
    return { text: redact(str(meta.developer_message) ?? `HTTP ${code ?? httpStatus}`), ...(code ? { httpStatus: code } : {}) };
  }
  return { text: `HTTP ${httpStatus}${rec ? '' : ' with an unreadable body'}` };
}

/** "(#code) text: details", without repeating what the text already says. */
function describe(p: Parsed): string {
  const head = p.code !== undefined && !p.text.startsWith(`(#${p.code})`) ? `(#${p.code}) ${p.text}` : p.text;
  return p.details && !head.includes(p.details) ? `${head}: ${p.details}` : head;
}

function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

/** Error pages are HTML: keep the readable text, short. */
function snippet(text: string): string {
  const plain = text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return redact(plain.length > 200 ? `${plain.slice(0, 200)}…` : plain);
}

function clean(value: string | undefined): string | undefined {
  return value ? redact(value) : undefined;
}

/**
 * Failures end up in message statuses and logs other people read: an access token or API key that a
 * proxy echoes back must not. Meta's user tokens start with EAA; the rest is caught by its label.
 */
function redact(text: string): string {
  return text
    .replace(/\bEAA[A-Za-z0-9_-]{16,}/g, '[redacted]')
    .replace(/(access_token=|Bearer\s+|D360-API-KEY[:=]\s*)[^\s&"',]+/gi, '$1[redacted]');
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function num(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}
