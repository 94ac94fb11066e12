import { GraphError, webhookError } from '../../cloud-sandbox/cloud-api-errors';
import { classifyCloudError, failureFromWebhookError } from './cloud-errors';

/** Meta's envelope as the offline fake answers it (same titles and HTTP statuses as Meta's reference). */
function graph(code: number, details = 'details') {
  const err = new GraphError(code, details);
  return classifyCloudError(err.httpStatus, err.toBody());
}

describe('classifyCloudError: Meta envelope', () => {
  it.each([
    [4, 60_000],
    [80007, 60_000],
    [130429, 2_000],
    [131056, 6_000],
  ])('code %i is a rate limit: transient with a backoff hint', (code, ms) => {
    const f = graph(code);
    expect(f.transient).toBe(true);
    expect(f.reason).toBe('PROVIDER_RATE_LIMITED');
    expect(f.code).toBe(code);
    expect(f.retryAfterMs).toBe(ms);
  });

  it.each([2, 131000])('code %i is Meta-side trouble: transient', (code) => {
    const f = classifyCloudError(500, { error: { message: `(#${code}) Something went wrong`, type: 'OAuthException', code } });
    expect(f.transient).toBe(true);
    expect(f.reason).toBe('PROVIDER_UNAVAILABLE');
    expect(f.retryAfterMs).toBeGreaterThan(0);
  });

  it('131047 is the closed customer service window', () => {
    const f = graph(131047, 'Message failed to send because more than 24 hours have passed');
    expect(f).toMatchObject({ transient: false, code: 131047, reason: 'OUTSIDE_SERVICE_WINDOW', outsideWindow: true });
    expect(f.message).toBe('(#131047) Re-engagement message: Message failed to send because more than 24 hours have passed');
  });

  it.each([
    [131026, 'UNDELIVERABLE'],
    [131051, 'UNSUPPORTED_MESSAGE_TYPE'],
    [132000, 'TEMPLATE_ERROR'],
    [132001, 'TEMPLATE_ERROR'],
    [132999, 'TEMPLATE_ERROR'],
    [190, 'PROVIDER_AUTH_FAILED'],
    [10, 'PROVIDER_AUTH_FAILED'],
    [100, 'PROVIDER_REJECTED'],
    [131009, 'PROVIDER_REJECTED'],
    [368, 'PROVIDER_ERROR'],
  ])('code %i → %s, not transient', (code, reason) => {
    const f = graph(code);
    expect(f.reason).toBe(reason);
    expect(f.transient).toBe(false);
    expect(f.retryAfterMs).toBeUndefined();
    expect(f.outsideWindow).toBeUndefined();
  });

  it('a permanent code stays permanent on a 5xx', () => {
    const f = classifyCloudError(503, { error: { message: 'Template does not exist', code: 132001 } });
    expect(f.transient).toBe(false);
    expect(f.reason).toBe('TEMPLATE_ERROR');
  });

  it('puts Meta’s code in the message once, with the details', () => {
    expect(graph(100, 'Param text[\'body\'] must be a string.').message).toBe("(#100) Param text['body'] must be a string.");
    const f = classifyCloudError(400, { error: { message: 'Invalid parameter', code: 100, error_data: { details: 'to is invalid' } } });
    expect(f.message).toBe('(#100) Invalid parameter: to is invalid');
  });

  it('reads a JSON body still in text form', () => {
    const f = classifyCloudError(400, JSON.stringify(new GraphError(131047, 'x').toBody()));
    expect(f.reason).toBe('OUTSIDE_SERVICE_WINDOW');
  });

  it('uses Retry-After when the response carries one', () => {
    expect(classifyCloudError(429, '', '30').retryAfterMs).toBe(30_000);
    const at = new Date(Date.now() + 60_000).toUTCString();
    const ms = classifyCloudError(429, '', at).retryAfterMs!;
    expect(ms).toBeGreaterThan(50_000);
    expect(ms).toBeLessThanOrEqual(60_000);
    // A permanent failure gets no retry hint, whatever the header says.
    expect(classifyCloudError(400, { error: { code: 131047, message: 'x' } }, '30').retryAfterMs).toBeUndefined();
  });

  it('never repeats an access token a proxy echoed back', () => {
    const token = `EAAG${'x'.repeat(40)}`;
    const f = classifyCloudError(400, {
      error: { code: 190, message: `Invalid OAuth access token - Cannot parse access token ${token}`, error_data: { details: `access_token=${token}&x=1` } },
    });
    expect(f.reason).toBe('PROVIDER_AUTH_FAILED');
    expect(f.message).not.toContain(token);
    expect(f.message).not.toContain('xxxxxxxxxxxxxxxx');
    expect(f.message).toContain('[redacted]');
  });
});

describe('classifyCloudError: 360dialog and other bodies', () => {
  it('reads 360dialog’s meta envelope and its http_code', () => {
    const f = classifyCloudError(200, { meta: { success: false, http_code: 401, developer_message: 'Invalid api key', '360dialog_trace_id': 'abc' } });
    expect(f).toMatchObject({ transient: false, reason: 'PROVIDER_AUTH_FAILED', message: 'Invalid api key' });
    expect(f.code).toBeUndefined();
  });

  it('reads the On-Premise style errors[] list', () => {
    const f = classifyCloudError(400, { errors: [{ code: 131051, title: 'Unsupported message type', details: 'sticker' }] });
    expect(f.reason).toBe('UNSUPPORTED_MESSAGE_TYPE');
    expect(f.message).toBe('(#131051) Unsupported message type: sticker');
  });

  it('treats an HTML 502 page as transient and keeps only its text', () => {
    const f = classifyCloudError(502, '<html><head><style>p{}</style></head><body><h1>502 Bad Gateway</h1></body></html>');
    expect(f.transient).toBe(true);
    expect(f.reason).toBe('PROVIDER_UNAVAILABLE');
    expect(f.message).toBe('HTTP 502: 502 Bad Gateway');
  });

  it('treats an empty 429 as a rate limit', () => {
    const f = classifyCloudError(429, undefined);
    expect(f).toMatchObject({ transient: true, reason: 'PROVIDER_RATE_LIMITED', message: 'HTTP 429 with an empty body' });
    expect(f.retryAfterMs).toBeGreaterThan(0);
  });

  it('an empty 401 is an authentication failure', () => {
    expect(classifyCloudError(401, '')).toMatchObject({ transient: false, reason: 'PROVIDER_AUTH_FAILED', message: 'HTTP 401 with an empty body' });
  });

  it('an unknown 4xx body is a permanent provider error', () => {
    expect(classifyCloudError(418, { what: 'teapot' })).toMatchObject({ transient: false, reason: 'PROVIDER_ERROR', message: 'HTTP 418' });
    expect(classifyCloudError(400, [1, 2])).toMatchObject({ reason: 'PROVIDER_ERROR', message: 'HTTP 400 with an unreadable body' });
  });
});

describe('failureFromWebhookError', () => {
  it('maps the fake’s failed-status errors like synchronous ones', () => {
    const window = failureFromWebhookError(webhookError(131047) as any);
    expect(window).toMatchObject({ transient: false, code: 131047, reason: 'OUTSIDE_SERVICE_WINDOW', outsideWindow: true, message: '(#131047) Re-engagement message' });
    expect(failureFromWebhookError(webhookError(131026, 'not on WhatsApp') as any)).toMatchObject({
      reason: 'UNDELIVERABLE',
      message: '(#131026) Message undeliverable: not on WhatsApp',
    });
  });

  it('marks webhook rate limits and Meta-side failures transient', () => {
    expect(failureFromWebhookError({ code: 131056, title: 'pair rate limit hit' })).toMatchObject({ transient: true, reason: 'PROVIDER_RATE_LIMITED', retryAfterMs: 6_000 });
    expect(failureFromWebhookError({ code: 131000, message: 'Something went wrong' })).toMatchObject({ transient: true, reason: 'PROVIDER_UNAVAILABLE' });
  });

  it('falls back on a generic text when Meta gives none', () => {
    expect(failureFromWebhookError({ code: 132015 })).toMatchObject({ reason: 'TEMPLATE_ERROR', message: '(#132015) Error' });
  });
});
