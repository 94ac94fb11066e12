import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EnvironmentVariables } from './env.schema';

/** One day of webhook retries: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS = [
  0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
];

/** The validated, typed configuration. Injected everywhere under the AppConfig class token. */
export class AppConfig {
  http!: { port: number; host: string; publicBaseUrl: string; bodyLimit: string };
  logLevel!: string;
  security!: {
    adminApiKey: string;
    /** Set when the admin key was generated into DATA_DIR rather than given. */
    adminApiKeyFile?: string;
    linkSigningSecret: string;
  };
  /** Fixed windows counted in Redis; the limiter lets requests through while Redis is away. */
  rateLimit!: { windowMs: number; perKey: number; anonymous: number };
  storage!: {
    dataDir: string;
    /** Undefined: the server starts an embedded FerretDB. */
    mongodbUri?: string;
    /** Undefined: the server starts an embedded redis-server. */
    redisUrl?: string;
    ferretdbBin?: string;
    /** Backend of the embedded FerretDB: a private PostgreSQL cluster (default) or SQLite. */
    embeddedStore: 'postgresql' | 'sqlite';
    /** Set: MONGODB_URI is a FerretDB over this PostgreSQL, which gets the GIN indexes. */
    ferretdbPostgresqlUrl?: string;
    embeddedMongoPort: number;
    embeddedRedisPort: number;
    redisServerBin: string;
    queuePrefix: string;
  };
  outbound!: { allowedHosts: string[]; timeoutMs: number; maxBytes: number };
  whatsapp!: {
    engine: 'wwebjs' | 'sandbox';
    chromiumPath: string;
    headless: 'shell' | 'new';
    leanFlags: boolean;
    extraArgs: string[];
    maxConcurrentStarts: number;
    readyTimeoutMs: number;
    restoreStaggerMs: number;
    leaseTtlMs: number;
    /** SESSION_MAX_PER_PROCESS: sessions one process runs at most (placement skips a full process). */
    maxPerProcess: number;
    /** SESSION_FORWARD_TIMEOUT_MS: a command forwarded to the session's owner fails after this. */
    forwardTimeoutMs: number;
    /** SESSION_AUTH_STORE: `database` keeps a snapshot of the link in MongoDB; `local` only in DATA_DIR. */
    authStore: 'database' | 'local';
    restoreOnBoot: boolean;
    qrTimeoutMs: number;
    onboardingLinkTtlMs: number;
  };
  messages!: { sendMinIntervalMs: number; mediaMaxBytes: number };
  /** The official WhatsApp Business Platform (Meta Cloud API and 360dialog). */
  cloud!: {
    credentialsKey: string;
    oldCredentialsKeys: string[];
    graphApiUrl: string;
    graphApiVersion: string;
    d360ApiUrl: string;
    timeoutMs: number;
    sendPerSecond: number;
  };
  webhooks!: {
    retryDelaysMs: number[];
    /** No attempt is scheduled past this time after the first one (WEBHOOK_MAX_DELIVERY_HOURS). */
    maxDeliveryMs: number;
    timeoutMs: number;
    endpointConcurrency: number;
    workerConcurrency: number;
    /** How often stuck events (no live job) and undispatched inbound messages are re-enqueued. */
    sweepIntervalMs: number;
    /** Lifetime of the signed media URLs put in payloads: longer than the retry schedule. */
    mediaUrlTtlSeconds: number;
    /** Delivered and dead events are deleted from the delivery log after this many days (0 = keep). */
    logRetentionDays: number;
  };
}

export class ConfigError extends Error {}

/** First failing setting as one line: `Invalid configuration: PORT must not be greater than 65535`. */
function describe(errors: ValidationError[]): string {
  const first = errors[0];
  const messages = Object.values(first.constraints ?? {});
  return `Invalid configuration: ${messages[0] ?? `${first.property} is invalid`}`;
}

/** Reads a secret from DATA_DIR, creating it on first boot so the server runs with no setup. */
function persistedSecret(dataDir: string, file: string, bytes: number): string {
  const path = join(dataDir, file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(bytes).toString('base64url');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const vars = plainToInstance(EnvironmentVariables, raw, { enableImplicitConversion: false });
  const errors = validateSync(vars, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigError(describe(errors));

  const dataDir = resolve(vars.DATA_DIR ?? '.data');
  const port = vars.PORT ?? 3000;
  return {
    http: {
      port,
      host: vars.HOST ?? '0.0.0.0',
      publicBaseUrl: (vars.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
      bodyLimit: vars.BODY_LIMIT ?? '1mb',
    },
    logLevel: vars.LOG_LEVEL ?? 'info',
    security: {
      adminApiKey: vars.ADMIN_API_KEY ?? persistedSecret(dataDir, 'admin-api-key', 32),
      adminApiKeyFile: vars.ADMIN_API_KEY ? undefined : join(dataDir, 'admin-api-key'),
      linkSigningSecret: vars.LINK_SIGNING_SECRET ?? persistedSecret(dataDir, 'link-signing-secret', 48),
    },
    rateLimit: {
      windowMs: vars.RATE_LIMIT_WINDOW_MS ?? 60_000,
      perKey: vars.RATE_LIMIT_PER_KEY ?? 6_000,
      anonymous: vars.RATE_LIMIT_ANONYMOUS ?? 600,
    },
    storage: {
      dataDir,
      mongodbUri: vars.MONGODB_URI,
      redisUrl: vars.REDIS_URL,
      ferretdbBin: vars.FERRETDB_BIN,
      embeddedStore: vars.EMBEDDED_STORE ?? 'postgresql',
      ferretdbPostgresqlUrl: vars.FERRETDB_POSTGRESQL_URL,
      embeddedMongoPort: vars.EMBEDDED_MONGO_PORT ?? 27027,
      embeddedRedisPort: vars.EMBEDDED_REDIS_PORT ?? 6390,
      redisServerBin: vars.REDIS_SERVER_BIN ?? 'redis-server',
      queuePrefix: vars.QUEUE_PREFIX ?? 'omc',
    },
    outbound: {
      allowedHosts: (vars.OUTBOUND_ALLOWED_HOSTS ?? []).map((h) => h.toLowerCase()),
      timeoutMs: vars.OUTBOUND_TIMEOUT_MS ?? 10_000,
      maxBytes: vars.OUTBOUND_MAX_BYTES ?? 16 * 1024 * 1024,
    },
    whatsapp: {
      engine: (vars.WHATSAPP_ENGINE ?? 'wwebjs') as 'wwebjs' | 'sandbox',
      chromiumPath:
        vars.CHROMIUM_PATH ??
        ((vars.CHROMIUM_HEADLESS ?? 'shell') === 'shell'
          ? '/usr/lib/chromium/chromium-headless-shell'
          : '/usr/bin/chromium'),
      headless: (vars.CHROMIUM_HEADLESS ?? 'shell') as 'shell' | 'new',
      leanFlags: vars.CHROMIUM_LEAN_FLAGS ?? true,
      extraArgs: vars.CHROMIUM_EXTRA_ARGS ?? [],
      maxConcurrentStarts: vars.SESSION_MAX_CONCURRENT_STARTS ?? 2,
      readyTimeoutMs: vars.SESSION_READY_TIMEOUT_MS ?? 90_000,
      restoreStaggerMs: vars.SESSION_RESTORE_STAGGER_MS ?? 500,
      leaseTtlMs: vars.SESSION_LEASE_TTL_MS ?? 10_000,
      restoreOnBoot: vars.SESSION_RESTORE_ON_BOOT ?? true,
      maxPerProcess: vars.SESSION_MAX_PER_PROCESS ?? 50,
      forwardTimeoutMs: vars.SESSION_FORWARD_TIMEOUT_MS ?? 45_000,
      authStore: vars.SESSION_AUTH_STORE ?? 'database',
      qrTimeoutMs: vars.SESSION_QR_TIMEOUT_MS ?? 300_000,
      onboardingLinkTtlMs: vars.ONBOARDING_LINK_TTL_MS ?? 600_000,
    },
    messages: {
      sendMinIntervalMs: vars.SEND_MIN_INTERVAL_MS ?? 1_000,
      mediaMaxBytes: vars.MEDIA_MAX_BYTES ?? 16 * 1024 * 1024,
    },
    cloud: {
      credentialsKey: vars.PROVIDER_CREDENTIALS_KEY ?? persistedSecret(dataDir, 'provider-credentials-key', 32),
      oldCredentialsKeys: vars.PROVIDER_CREDENTIALS_OLD_KEYS ?? [],
      graphApiUrl: (vars.WHATSAPP_CLOUD_API_URL ?? 'https://graph.facebook.com').replace(/\/$/, ''),
      graphApiVersion: vars.WHATSAPP_CLOUD_API_VERSION ?? 'v21.0',
      d360ApiUrl: (vars.D360_API_URL ?? 'https://waba-v2.360dialog.io').replace(/\/$/, ''),
      timeoutMs: vars.CLOUD_API_TIMEOUT_MS ?? 15_000,
      sendPerSecond: vars.CLOUD_SEND_PER_SECOND ?? 80,
    },
    webhooks: {
      retryDelaysMs: vars.WEBHOOK_RETRY_DELAYS_MS?.map(Number) ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS,
      maxDeliveryMs: (vars.WEBHOOK_MAX_DELIVERY_HOURS ?? 48) * 3600_000,
      timeoutMs: vars.WEBHOOK_TIMEOUT_MS ?? 10_000,
      endpointConcurrency: vars.WEBHOOK_ENDPOINT_CONCURRENCY ?? 4,
      workerConcurrency: vars.WEBHOOK_WORKER_CONCURRENCY ?? 50,
      sweepIntervalMs: vars.WEBHOOK_SWEEP_INTERVAL_MS ?? 30_000,
      mediaUrlTtlSeconds: vars.WEBHOOK_MEDIA_URL_TTL_SECONDS ?? 3 * 24 * 3600,
      logRetentionDays: vars.WEBHOOK_LOG_RETENTION_DAYS ?? 30,
    },
  };
}
