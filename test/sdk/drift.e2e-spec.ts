import { ROUTE_TABLE, RouteSpec } from '@cirrus/omnichannel_api';
import { ApiClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { compareRoutes, OpenApiDoc, uncoveredOperations, undocumentedResponses } from './support/openapi-drift';

// The project's testTimeout is not applied per project: booting the app (and building) needs more than 5 s under load.
jest.setTimeout(60_000);

/** Server operations the SDK deliberately does not wrap, and why. */
const NOT_IN_SDK: Record<string, string> = {
  'GET /health': 'infrastructure probe',
  'GET /health/ready': 'infrastructure probe',
  'GET /metrics': 'Prometheus scrape',
  'GET /api-keys': 'admin key only',
  'POST /api-keys': 'admin key only',
  'DELETE /api-keys/{id}': 'admin key only',
  'GET /me': 'key check for operators; the SDK surfaces INVALID_API_KEY on any call',
  'GET /media/{mediaId}': 'public signed URL, opened as a link',
  'GET /channels/{channelId}/session/events': 'Server-Sent Events stream (the onboarding popup follows it for browsers)',
  'GET /channels/{channelId}/session/qr.png': 'binary image; getQr() returns the QR text to render',
  'GET /onboarding/{token}': "the popup page itself (WhatsappWebUtils.onboarding opens it)",
  'GET /onboarding/{token}/events': "the popup page's own stream",
  'GET /onboarding/{token}/qr.png': "the popup page's own image",
  'GET /onboarding/{token}/status': "the popup page's own poll",
  'POST /onboarding/{token}/pairing-code': "the popup page's own form",
};

/**
 * SDK routes whose answer the server does not document yet: their types come from the server's
 * source. Once documented, compareRoutes checks them; an entry may only disappear from this list.
 */
const ANSWER_UNDOCUMENTED = new Set([
  'platforms.remove (DELETE /channels/{channelId}/platforms/{slug})',
  'webhooks.events.list (GET /webhooks/events)',
  'webhooks.events.get (GET /webhooks/events/{eventId})',
  'webhooks.events.replay (POST /webhooks/events/{eventId}/replay)',
  'webhooks.replay (POST /webhooks/replay)',
]);

describe('SDK route table against the server OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApiDoc;

  beforeAll(async () => {
    t = await startTestApp('sdkdrift', { WHATSAPP_ENGINE: 'sandbox' });
    const res = await new ApiClient(t.baseUrl).get<OpenApiDoc>('/docs-json');
    expect(res.status).toBe(200);
    doc = res.body;
  });
  afterAll(() => t.close());

  it('finds every SDK route, field and type on the server, and every required server field in the SDK', () => {
    expect(compareRoutes(doc, ROUTE_TABLE)).toEqual([]);
  });

  it('wraps every server operation except the ones deliberately left out', () => {
    const uncovered = uncoveredOperations(doc, ROUTE_TABLE).filter((op) => !(op in NOT_IN_SDK) && !op.includes(' /sandbox/'));
    expect(uncovered).toEqual([]);
  });

  it('has a documented answer for every SDK route that types one, except the known ones', () => {
    expect(undocumentedResponses(doc, ROUTE_TABLE).filter((r) => !ANSWER_UNDOCUMENTED.has(r))).toEqual([]);
  });

  describe('notices drift', () => {
    const base = ROUTE_TABLE.find((r) => r.name === 'tags.update')!;
    const drifted = (change: Partial<RouteSpec>): string[] => compareRoutes(doc, [{ ...base, ...change }]);

    it('in a route: an unknown path or another method', () => {
      expect(drifted({ path: '/tag/{tagId}' })).toEqual([expect.stringContaining('no such route on the server')]);
      expect(drifted({ method: 'PUT' })).toEqual([expect.stringContaining('no such route on the server (path has GET, PATCH, DELETE)')]);
    });

    it('in a field: one the server does not have, or a required one the SDK lacks', () => {
      expect(drifted({ body: { ...base.body, colour: { kind: 'string', optional: true } } })).toEqual([expect.stringContaining('field "colour" is not on the server')]);
      const create = ROUTE_TABLE.find((r) => r.name === 'tags.create')!;
      expect(compareRoutes(doc, [{ ...create, body: { name: create.body!.name } }])).toEqual([
        expect.stringContaining('required field "color" is unknown to the SDK'),
      ]);
    });

    it('in a type: scalar kind, enum values, optionality, and response fields', () => {
      expect(drifted({ body: { ...base.body, name: { kind: 'integer', optional: true } } })).toEqual([expect.stringContaining('SDK integer, server string')]);
      const list = ROUTE_TABLE.find((r) => r.name === 'webhooks.events.list')!;
      const narrowed = { ...list, query: { ...list.query, state: { kind: 'string' as const, optional: true, enum: ['pending'] } } };
      expect(compareRoutes(doc, [narrowed])).toEqual([expect.stringContaining('SDK values [pending], server values')]);
      const create = ROUTE_TABLE.find((r) => r.name === 'tags.create')!;
      expect(compareRoutes(doc, [{ ...create, body: { ...create.body, color: { kind: 'string', optional: true } } }])).toEqual([
        expect.stringContaining('required on the server, optional in the SDK'),
      ]);
      const response = { kind: 'object' as const, optional: false, fields: { id: { kind: 'integer' as const, optional: false } } };
      expect(drifted({ response })).toEqual(
        expect.arrayContaining([expect.stringContaining('response.id: SDK integer, server string'), expect.stringContaining('required field "name" is unknown')]),
      );
    });
  });
});
