import { WEBHOOK_EVENT_TYPES } from '../../src/webhooks/webhook-event.types';
import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { documentedCodes, fillPath, Json, operations, responseOf } from './support/openapi-doc';

jest.setTimeout(120_000);

/**
 * The OpenAPI document as a client generator reads it: every error a route answers is documented
 * with its own code enum and example, public routes carry no lock, operationIds are generator-friendly.
 */
describe('OpenAPI contract (/docs-json)', () => {
  let t: TestApp;
  let doc: Json;
  let acc: ApiClient;

  beforeAll(async () => {
    t = await startTestApp('contract', { WHATSAPP_ENGINE: 'sandbox' });
    doc = (await new ApiClient(t.baseUrl).get('/docs-json')).body;
    acc = await accountClient(new ApiClient(t.baseUrl, t.adminKey), 'acc-contract');
  });
  afterAll(() => t.close());

  it('gives each error status of each route its own code enum and one example per code', () => {
    const problems: string[] = [];
    for (const { method, path, op } of operations(doc)) {
      for (const status of Object.keys(op.responses)) {
        if (Number(status) < 400 || (path === '/health/ready' && status === '503')) continue;
        const res = responseOf(doc, op, status);
        const where = `${method.toUpperCase()} ${path} ${status}`;
        const codes = documentedCodes(doc, op, Number(status));
        const examples = res.content?.['application/json']?.examples ?? {};
        if (!codes?.length) {
          problems.push(`${where}: no code enum`);
          continue;
        }
        for (const code of codes) {
          const ref = examples[code]?.$ref as string | undefined;
          const value = ref ? doc.components.examples[ref.split('/').pop()!]?.value : examples[code]?.value;
          if (!value) problems.push(`${where}: no example for ${code}`);
          else if (value.statusCode !== Number(status) || value.code !== code) problems.push(`${where}: example ${code} says ${value.statusCode} ${value.code}`);
        }
        for (const name of Object.keys(examples)) if (!codes.includes(name)) problems.push(`${where}: example ${name} is not in the enum`);
      }
    }
    expect(problems).toEqual([]);
    // The defect this replaces: one identical 404 CONTACT_NOT_FOUND example under every status of every route.
    expect(documentedCodes(doc, doc.paths['/tags/{tagId}'].get, 404)).toEqual(['TAG_NOT_FOUND']);
    const contactGet = doc.paths['/contacts/{contactId}'].get;
    expect(documentedCodes(doc, contactGet, 404)).toEqual(['CONTACT_NOT_FOUND']);
    expect(documentedCodes(doc, contactGet, 401)).toEqual(['UNAUTHENTICATED', 'INVALID_API_KEY']);
    expect(documentedCodes(doc, doc.paths['/messages/send'].post, 415)).toEqual(['UNSUPPORTED_MEDIA_TYPE']);
    expect(documentedCodes(doc, doc.paths['/tags'].get, 415)).toBeUndefined(); // reads take no body
    expect(responseOf(doc, doc.paths['/contacts'].get, 429).headers['Retry-After']).toBeDefined();
  });

  it('answers, on every route, only errors the route documents (no key, unknown ids, no body)', async () => {
    const undocumented: string[] = [];
    const anonymous = acc.withKey(undefined);
    for (const { method, path, op } of operations(doc)) {
      if (path.endsWith('/events') || path === '/onboarding/{token}') continue; // streams and the HTML page
      const url = fillPath(path, { service: 'whatsappweb', token: 'not-a-token', eventId: 'evt_00000000000000000000000000000000' });
      for (const [who, client] of [['no key', anonymous], ['account key', acc]] as const) {
        const res = await client.call(method.toUpperCase(), url, ['post', 'put', 'patch'].includes(method) ? {} : undefined);
        if (res.status < 400) continue;
        const code = (res.body as Json)?.code;
        if (!documentedCodes(doc, op, res.status)?.includes(code)) undocumented.push(`${method.toUpperCase()} ${path} (${who}): ${res.status} ${code}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it('marks public routes security: [] and documents the opaque key as bearer or X-Api-Key everywhere else', () => {
    expect(doc.security).toEqual([{ bearer: [] }, { 'api-key': [] }]);
    const { bearer, 'api-key': apiKey } = doc.components.securitySchemes;
    expect(bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(bearer.bearerFormat).not.toMatch(/jwt/i);
    expect(apiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
    const publicOps = operations(doc).filter(({ op }) => Array.isArray(op.security) && op.security.length === 0).map(({ method, path }) => `${method} ${path}`);
    expect(publicOps.sort()).toEqual(
      ['get /health', 'get /health/ready', 'get /media/{mediaId}', 'get /onboarding/{token}', 'get /onboarding/{token}/events', 'get /onboarding/{token}/qr.png', 'get /onboarding/{token}/status', 'post /onboarding/{token}/pairing-code'].sort(),
    );
    for (const { path, op } of operations(doc)) {
      if (publicOps.some((p) => p.endsWith(` ${path}`))) continue;
      expect({ path, security: op.security }).toEqual({ path, security: undefined }); // inherits the document's
    }
  });

  it('documents X-Request-Id everywhere, X-Client-Identifier on account routes and Idempotency-Key on sends', () => {
    const names = (op: Json) => (op.parameters as Json[]).map((p) => (p.$ref ? doc.components.parameters[p.$ref.split('/').pop()].name : p.name));
    for (const { op } of operations(doc)) expect(names(op)).toContain('X-Request-Id');
    expect(names(doc.paths['/contacts'].post)).toContain('X-Client-Identifier');
    expect(names(doc.paths['/api-keys'].post)).not.toContain('X-Client-Identifier');
    expect(names(doc.paths['/messages/send'].post)).toContain('Idempotency-Key');
  });

  it('has operationIds a generator turns into good names, described tags and a server', () => {
    const ids = operations(doc).map(({ op }) => op.operationId as string);
    expect(ids.filter((id) => !/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/contacts'].post.operationId).toBe('contacts.create');
    const described = new Set((doc.tags as Json[]).filter((tag) => tag.description).map((tag) => tag.name));
    const used = new Set(operations(doc).flatMap(({ op }) => op.tags as string[]));
    expect([...used].filter((tag) => !described.has(tag))).toEqual([]);
    expect(doc.servers).toEqual([expect.objectContaining({ url: t.baseUrl })]);
  });

  it('gives every success response a schema, the one-time API key included', () => {
    const missing = operations(doc).flatMap(({ method, path, op }) =>
      Object.entries(op.responses as Record<string, Json>)
        .filter(([status]) => /^2\d\d$/.test(status) && status !== '204')
        .filter(([, res]) => !Object.values(res.content ?? {}).some((media: Json) => media.schema))
        .map(([status]) => `${method.toUpperCase()} ${path} ${status}`),
    );
    expect(missing).toEqual([]);
    const created = doc.components.schemas.CreatedApiKeyResponse;
    expect(doc.paths['/api-keys'].post.responses['201'].content['application/json'].schema.$ref).toBe('#/components/schemas/CreatedApiKeyResponse');
    expect(created.required).toEqual(expect.arrayContaining(['id', 'key', 'clientIdentifier']));
  });

  it('describes every webhook payload in the document (OpenAPI 3.1 webhooks)', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    for (const type of WEBHOOK_EVENT_TYPES) {
      const schema = doc.webhooks[type].post.requestBody.content['application/json'].schema;
      const payload = doc.components.schemas[schema.$ref.split('/').pop()];
      expect(payload.properties.type.enum).toEqual([type]);
      expect(payload.required).toEqual(expect.arrayContaining(['id', 'type', 'data', 'chat']));
    }
  });
});
