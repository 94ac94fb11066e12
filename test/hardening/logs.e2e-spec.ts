import { ApiClient, accountClient } from '../harness/http';
import { testEnv, TEST_ADMIN_KEY, uniqueDatabase } from '../harness/test-app';
import { WebhookReceiver } from '../webhooks/receiver';
import { ensureBuilt, eventually, ServerProcess, spawnServer, waitForState } from '../whatsapp/whatsapp-helpers';

jest.setTimeout(180_000);

type Line = Record<string, any>;

/**
 * What the built server writes to its log, read from the process's own output at LOG_LEVEL=info:
 * no onboarding token however the path is spelled, no request context on background work, a
 * warn line per failed webhook attempt, and no access lines for probes and static files.
 */
describe('hardening: logs', () => {
  let server: ServerProcess;
  let acc: ApiClient;
  const receiver = new WebhookReceiver();

  /** Every JSON line so far. */
  const lines = (): Line[] =>
    server
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Line);
  /** Access log lines (pino-http's, one per request), by logged URL. */
  const accessLines = () => lines().filter((l) => l.req && l.res && typeof l.responseTime === 'number');

  beforeAll(async () => {
    await receiver.start();
    receiver.reply = () => ({ status: 500, body: 'receiver is down' });
    const mainJs = ensureBuilt();
    server = await spawnServer(mainJs, testEnv(uniqueDatabase('logs'), { LOG_LEVEL: 'info', WEBHOOK_RETRY_DELAYS_MS: '0,60000' }));
    acc = await accountClient(new ApiClient(server.baseUrl, TEST_ADMIN_KEY), 'acc-logs');
  });
  afterAll(async () => {
    await server?.stop();
    await receiver.stop();
  });

  async function channelWithHook(callbackUrl: string): Promise<string> {
    const res = await acc.post('/channels/setup/whatsappweb', {
      provider: { clientNumber: `55119${Math.floor(10_000_000 + Math.random() * 89_999_999)}`, companyId: 'co' },
      startingPlatform: 'crm',
      platforms: [{ slug: 'crm', callbackUrl }],
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  it('never writes an onboarding token, whatever the spelling of the path', async () => {
    const channelId = await channelWithHook(`${receiver.url}/hook`);
    const link = await acc.post(`/channels/${channelId}/onboarding-link`, {});
    expect(link.status).toBe(201);
    const token = new URL(link.body.url).pathname.split('/')[2];
    expect(token.length).toBeGreaterThan(20);
    const spellings = [`/onboarding/${token}/status`, `/ONBOARDING/${token}/status`, `/OnBoarding/${token}/status`, `/%6Fnboarding/${token}/status`];
    for (const path of spellings) await fetch(`${server.baseUrl}${path}?lang=pt`);
    // Express routes the other casings to the same handler: the token was honoured, so it was live.
    expect((await fetch(`${server.baseUrl}/ONBOARDING/${token}/status`)).status).toBe(200);

    await eventually(async () => accessLines().filter((l) => String(l.req.url).includes('[token]')).length, (n) => n >= spellings.length + 1, 5_000, 'access lines');
    expect(server.output()).not.toContain(token);
    const urls = accessLines().map((l) => l.req.url);
    expect(urls).toEqual(expect.arrayContaining(['/onboarding/[token]/status', '/ONBOARDING/[token]/status', '/OnBoarding/[token]/status']));
  });

  it('logs the session started by a request in its own context, not the request\'s', async () => {
    const channelId = await channelWithHook(`${receiver.url}/hook`);
    const requestId = 'edges-session-start-0001';
    const started = await acc.post(`/channels/${channelId}/session/start`, {}, { 'x-request-id': requestId });
    expect(started.status).toBe(200);
    await waitForState(acc, channelId, 'QR');

    const transitions = await eventually(
      async () => lines().filter((l) => l.msg === 'Session state changed' && l.channelId === channelId),
      (found) => found.some((l) => l.to === 'QR'),
      10_000,
      'the QR transition in the log',
    );
    for (const line of transitions) {
      expect(line.requestId).toBeUndefined();
      expect(line.req).toBeUndefined();
      expect(line.channelId).toBe(channelId);
    }
    // The request itself is logged, with its id (so the assertion above can tell the difference).
    const own = lines().filter((l) => l.requestId === requestId);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((l) => l.msg !== 'Session state changed')).toBe(true);
    await acc.post(`/channels/${channelId}/session/stop`);
  });

  it('writes a warn line for each failed webhook attempt, with endpoint, status, latency and error', async () => {
    const channelId = await channelWithHook(`${receiver.url}/hook?token=s3cret-in-query`);
    const sent = await acc.post(`/console/api/channels/${channelId}/platforms/crm/test-event`, {});
    expect(sent.status).toBe(202);
    const [line] = await eventually(
      async () => lines().filter((l) => l.msg === 'Webhook delivery attempt failed' && l.channelId === channelId),
      (found) => found.length > 0,
      15_000,
      'a failed-attempt line',
    );
    expect(line).toMatchObject({
      level: 40,
      endpoint: `${receiver.url}/hook`,
      status: 500,
      latencyMs: expect.any(Number),
      error: 'HTTP 500: receiver is down',
      attempt: 1,
    });
    expect(server.output()).not.toContain('s3cret-in-query');
  });

  it('writes no access line for health probes and static files, and one for API calls', async () => {
    const marker = 'edges-quiet-check-0001';
    const paths = ['/health', '/health/ready', '/favicon.ico', '/console/assets/missing.js'];
    for (const path of paths) await fetch(`${server.baseUrl}${path}`, { headers: { 'x-request-id': marker } });
    expect((await acc.get('/me', { 'x-request-id': `${marker}-me` })).status).toBe(200);
    await eventually(async () => accessLines().some((l) => l.requestId === `${marker}-me`), Boolean, 5_000, 'the /me access line');
    expect(accessLines().filter((l) => l.requestId === marker)).toEqual([]);
    expect(accessLines().filter((l) => /^\/(health|favicon|console\/assets)/.test(l.req.url))).toEqual([]);
  });
});
