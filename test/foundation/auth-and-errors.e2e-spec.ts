import { Controller, Get, Module } from '@nestjs/common';
import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';

@Controller('probe')
class ProbeController {
  @Get('boom')
  boom(): never {
    throw new Error('database password is hunter2');
  }
}
@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('authentication and the error model', () => {
  let t: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await startTestApp('auth', {}, [ProbeModule]);
    admin = new ApiClient(t.baseUrl, t.adminKey);
  });
  afterAll(() => t.close());

  it('answers health without a key', async () => {
    const res = await admin.withKey(undefined).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('reports MongoDB and Redis ready', async () => {
    const res = await admin.withKey(undefined).get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body.details.mongodb.status).toBe('up');
    expect(res.body.details.redis.status).toBe('up');
  });

  it('refuses a route without a key with 401 and the error shape', async () => {
    const res = await admin.withKey(undefined).get('/api-keys?clientIdentifier=a');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      statusCode: 401,
      code: 'UNAUTHENTICATED',
      message: expect.any(String),
      requestId: expect.any(String),
    });
    expect(res.headers.get('x-request-id')).toBe(res.body.requestId);
  });

  it('refuses an unknown key with 401 INVALID_API_KEY', async () => {
    const res = await admin.withKey('omk_not-a-real-key').get('/api-keys?clientIdentifier=a');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('INVALID_API_KEY');
  });

  it('accepts the key in X-Api-Key as well as Authorization: Bearer', async () => {
    const res = await admin.withKey(undefined).get('/api-keys?clientIdentifier=acc-x', { 'x-api-key': t.adminKey });
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });

  it('creates account keys that are stored hashed and shown once', async () => {
    const created = await admin.post('/api-keys', { clientIdentifier: 'acc-a', name: 'first' });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^omk_/);
    const listed = await admin.get('/api-keys?clientIdentifier=acc-a');
    expect(listed.body).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
    expect(listed.body[0].prefix).toBe(created.body.key.slice(0, 10));
  });

  it('answers 403 ADMIN_KEY_REQUIRED when an account key manages keys', async () => {
    const acc = await accountClient(admin, 'acc-b');
    const res = await acc.post('/api-keys', { clientIdentifier: 'acc-b' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('ADMIN_KEY_REQUIRED');
  });

  it('answers 403 ACCOUNT_MISMATCH when an account key names another account', async () => {
    const acc = await accountClient(admin, 'acc-c');
    const own = await acc.get('/me?clientIdentifier=acc-c');
    expect(own.status).toBe(200);
    expect(own.body).toEqual({ clientIdentifier: 'acc-c', admin: false });
    for (const res of [
      await acc.get('/me?clientIdentifier=acc-d'),
      await acc.post('/me', { clientIdentifier: 'acc-d' }),
      await acc.get('/me', { 'x-client-identifier': 'acc-d' }),
    ]) {
      if (res.status === 404) continue; // POST /me does not exist: the guard never ran
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('ACCOUNT_MISMATCH');
    }
  });

  it('stops accepting a revoked key', async () => {
    const created = await admin.post('/api-keys', { clientIdentifier: 'acc-r' });
    const acc = admin.withKey(created.body.key);
    expect((await acc.get('/me')).status).toBe(200);
    const revoked = await admin.delete(`/api-keys/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toBeDefined();
    const after = await acc.get('/me');
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('INVALID_API_KEY');
  });

  it('answers 400 VALIDATION_FAILED listing each bad and unknown field', async () => {
    const res = await admin.post('/api-keys', { clientIdentifier: 42, extra: true });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    const fields = res.body.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['clientIdentifier', 'extra']);
  });

  it('answers 400 INVALID_JSON for a body that is not JSON, with a request id', async () => {
    const res = await admin.call('POST', '/api-keys', '{"clientIdentifier":', { 'content-type': 'application/json' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_JSON');
    expect(res.body.requestId).toMatch(/.{8,}/);
  });

  it('answers 413 PAYLOAD_TOO_LARGE over the body limit', async () => {
    const res = await admin.post('/api-keys', { clientIdentifier: 'a', name: 'x'.repeat(2 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses MongoDB operators smuggled into fields', async () => {
    const res = await admin.post('/api-keys', { clientIdentifier: { $gt: '' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('OPERATOR_NOT_ALLOWED');
    const inQuery = await admin.get('/api-keys?clientIdentifier[$ne]=x');
    expect(inQuery.status).toBe(400);
  });

  it('makes the admin key name the account it acts on', async () => {
    const res = await admin.get('/me');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('ACCOUNT_REQUIRED');
    expect((await admin.get('/me?clientIdentifier=acc-z')).body).toEqual({ clientIdentifier: 'acc-z', admin: true });
  });

  it('answers a malformed id with 400 INVALID_ID, an unknown one with 404', async () => {
    expect((await admin.delete('/api-keys/not-an-id')).body.code).toBe('INVALID_ID');
    const missing = await admin.delete('/api-keys/64ef5c84f9deb1326965919f');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('API_KEY_NOT_FOUND');
  });

  it('answers an unexpected failure with 500 INTERNAL_ERROR and the request id, nothing else', async () => {
    const res = await admin.get('/probe/boom?clientIdentifier=acc-a');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error', requestId: expect.any(String) });
    expect(JSON.stringify(res.body)).not.toMatch(/hunter2|at \w+ \(/);
  });

  it('answers unknown routes with 404 ROUTE_NOT_FOUND', async () => {
    const res = await admin.get('/nope');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('ROUTE_NOT_FOUND');
  });

  it('serves Swagger UI and the OpenAPI document with the key schemes', async () => {
    const ui = await fetch(`${t.baseUrl}/docs`);
    expect(ui.status).toBe(200);
    const doc = await admin.withKey(undefined).get('/docs-json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.components.securitySchemes).sort()).toEqual(['api-key', 'bearer']);
    expect(doc.body.components.schemas.ErrorResponse).toBeDefined();
  });

  it('serves Prometheus metrics to the admin with HTTP counters', async () => {
    const res = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${t.adminKey}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
  });
});
