import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEFAULT_WEBHOOK_RETRY_DELAYS_MS, loadConfig } from './app-config';

const base = () => ({ DATA_DIR: mkdtempSync(join(tmpdir(), 'omc-cfg-')) });

describe('loadConfig', () => {
  it.each([
    [{ PORT: '99999' }, 'PORT'],
    [{ PORT: 'abc' }, 'PORT'],
    [{ MONGODB_URI: 'http://db:27017' }, 'MONGODB_URI'],
    [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL'],
    [{ ADMIN_API_KEY: 'short' }, 'ADMIN_API_KEY'],
    [{ WHATSAPP_ENGINE: 'selenium' }, 'WHATSAPP_ENGINE'],
    [{ BODY_LIMIT: 'lots' }, 'BODY_LIMIT'],
    [{ WEBHOOK_RETRY_DELAYS_MS: '0,5s' }, 'WEBHOOK_RETRY_DELAYS_MS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('stops on %j with one line naming %s', (env, name) => {
    let error: unknown;
    try {
      loadConfig({ ...base(), ...env });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Invalid configuration: /);
    expect(message).toContain(name);
    expect(message).not.toContain('\n');
  });

  it('applies the embedded defaults when nothing is set', () => {
    const env = base();
    const c = loadConfig(env);
    expect(c.http.port).toBe(3000);
    expect(c.storage.mongodbUri).toBeUndefined();
    expect(c.storage.redisUrl).toBeUndefined();
    expect(c.whatsapp.engine).toBe('wwebjs');
    expect(c.whatsapp.headless).toBe('shell');
    expect(c.webhooks.retryDelaysMs).toEqual(DEFAULT_WEBHOOK_RETRY_DELAYS_MS);
    expect(c.outbound.allowedHosts).toEqual([]);
  });

  it('generates the admin key once into DATA_DIR, private to the owner, and reuses it', () => {
    const env = base();
    const first = loadConfig(env);
    const second = loadConfig(env);
    expect(first.security.adminApiKey.length).toBeGreaterThanOrEqual(40);
    expect(second.security.adminApiKey).toBe(first.security.adminApiKey);
    const file = join(env.DATA_DIR, 'admin-api-key');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.security.adminApiKey);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(first.security.adminApiKeyFile).toBe(file);
  });

  it('parses lists and numbers', () => {
    const c = loadConfig({
      ...base(),
      PORT: '8080',
      OUTBOUND_ALLOWED_HOSTS: ' Hooks.Local , 127.0.0.1 ',
      WEBHOOK_RETRY_DELAYS_MS: '0,100,200',
      MONGODB_URI: 'mongodb://db:27017/x',
    });
    expect(c.http.port).toBe(8080);
    expect(c.http.publicBaseUrl).toBe('http://localhost:8080');
    expect(c.outbound.allowedHosts).toEqual(['hooks.local', '127.0.0.1']);
    expect(c.webhooks.retryDelaysMs).toEqual([0, 100, 200]);
    expect(c.storage.mongodbUri).toBe('mongodb://db:27017/x');
  });
});
