import { Transform } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : value === 'true' || value === '1';
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

/**
 * Every environment variable the server reads, validated once at boot.
 * Nothing outside src/config reads process.env. `.env.example` documents each one.
 */
export class EnvironmentVariables {
  // --- HTTP ---
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535)
  PORT?: number;

  @IsOptional() @IsString()
  HOST?: string;

  /** Base URL under which clients reach this server (onboarding links, media URLs). */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  PUBLIC_BASE_URL?: string;

  @IsOptional() @Matches(/^\d+(b|kb|mb)$/i, { message: 'BODY_LIMIT must look like 512kb or 2mb' })
  BODY_LIMIT?: string;

  @IsOptional() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  // --- Security ---
  /** Admin key: creates and revokes account keys. Generated into DATA_DIR when unset. */
  @IsOptional() @IsString() @MinLength(24, { message: 'ADMIN_API_KEY must be at least 24 characters' })
  ADMIN_API_KEY?: string;

  /** Secret for signed links (onboarding pages, media URLs). Generated into DATA_DIR when unset. */
  @IsOptional() @IsString() @MinLength(32, { message: 'LINK_SIGNING_SECRET must be at least 32 characters' })
  LINK_SIGNING_SECRET?: string;

  // --- Rate limits (counted in Redis, shared by every server process) ---
  /** Length of one rate-limit window. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1000) @Max(3_600_000)
  RATE_LIMIT_WINDOW_MS?: number;

  /** Requests one API key (or one console session's key, or the admin key) may make per window. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1)
  RATE_LIMIT_PER_KEY?: number;

  /** Requests without a valid key (public routes, bad or missing keys) per client IP per window. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1)
  RATE_LIMIT_ANONYMOUS?: number;

  // --- Storage ---
  @IsOptional() @IsString()
  DATA_DIR?: string;

  @IsOptional() @Matches(/^mongodb(\+srv)?:\/\//, { message: 'MONGODB_URI must start with mongodb:// or mongodb+srv://' })
  MONGODB_URI?: string;

  @IsOptional() @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must start with redis:// or rediss://' })
  REDIS_URL?: string;

  @IsOptional() @IsString()
  FERRETDB_BIN?: string;

  /** What the embedded FerretDB stores into when MONGODB_URI is unset (sqlite: explicit opt-in only). */
  @IsOptional() @IsIn(['postgresql', 'sqlite'], { message: 'EMBEDDED_STORE must be postgresql or sqlite' })
  EMBEDDED_STORE?: 'postgresql' | 'sqlite';

  /** The PostgreSQL behind the FerretDB at MONGODB_URI: the server then creates its GIN indexes there. */
  @IsOptional() @Matches(/^postgres(ql)?:\/\//, { message: 'FERRETDB_POSTGRESQL_URL must start with postgres:// or postgresql://' })
  FERRETDB_POSTGRESQL_URL?: string;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(65535)
  EMBEDDED_MONGO_PORT?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(65535)
  EMBEDDED_REDIS_PORT?: number;

  @IsOptional() @IsString()
  REDIS_SERVER_BIN?: string;

  /** Prefix of every BullMQ key in Redis (lets several deployments or test suites share one Redis). */
  @IsOptional() @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'QUEUE_PREFIX may hold letters, digits, _ and - (max 40)' })
  QUEUE_PREFIX?: string;

  // --- Outbound HTTP to user-supplied URLs (webhooks, media) ---
  /** Hosts (names or IPs, comma-separated) that may resolve to private or loopback addresses. */
  @IsOptional() @Transform(toList) @IsString({ each: true })
  OUTBOUND_ALLOWED_HOSTS?: string[];

  @IsOptional() @Transform(toInt) @IsInt() @Min(100)
  OUTBOUND_TIMEOUT_MS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1024)
  OUTBOUND_MAX_BYTES?: number;

  // --- Official WhatsApp Business Platform (whatsappcloud, d360 channels) ---
  /** Key that encrypts provider credentials at rest (AES-256-GCM): 32+ characters. Generated into DATA_DIR when unset. */
  @IsOptional() @IsString() @MinLength(32, { message: 'PROVIDER_CREDENTIALS_KEY must be at least 32 characters' })
  PROVIDER_CREDENTIALS_KEY?: string;

  /** Earlier keys, comma-separated, still accepted for reading while credentials are re-encrypted (rotation). */
  @IsOptional() @Transform(toList) @IsArray() @IsString({ each: true })
  PROVIDER_CREDENTIALS_OLD_KEYS?: string[];

  /** Meta's Graph API base URL (whatsappcloud channels). */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  WHATSAPP_CLOUD_API_URL?: string;

  /** Graph API version used when a channel's setup does not name one. */
  @IsOptional() @Matches(/^v\d+\.\d+$/, { message: 'WHATSAPP_CLOUD_API_VERSION must look like v21.0' })
  WHATSAPP_CLOUD_API_VERSION?: string;

  /** 360dialog's hosted Cloud API base URL (d360 channels). */
  @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  D360_API_URL?: string;

  /** Deadline of one call to the official API. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(500) @Max(120_000)
  CLOUD_API_TIMEOUT_MS?: number;

  /** Messages per second one official-API number may send (Meta's default throughput is 80). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  CLOUD_SEND_PER_SECOND?: number;

  // --- WhatsApp Web sessions ---
  @IsOptional() @IsIn(['wwebjs', 'sandbox'])
  WHATSAPP_ENGINE?: string;

  @IsOptional() @IsString()
  CHROMIUM_PATH?: string;

  @IsOptional() @IsIn(['shell', 'new'])
  CHROMIUM_HEADLESS?: string;

  /** Extra Chromium flags, comma-separated, appended to the lean default set. */
  @IsOptional() @Transform(toList) @IsString({ each: true })
  CHROMIUM_EXTRA_ARGS?: string[];

  @IsOptional() @Transform(toBool) @IsBoolean()
  CHROMIUM_LEAN_FLAGS?: boolean;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(64)
  SESSION_MAX_CONCURRENT_STARTS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(5000)
  SESSION_READY_TIMEOUT_MS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(0)
  SESSION_RESTORE_STAGGER_MS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(2000)
  SESSION_LEASE_TTL_MS?: number;

  @IsOptional() @Transform(toBool) @IsBoolean()
  SESSION_RESTORE_ON_BOOT?: boolean;

  /** The most WhatsApp Web sessions one process runs; new and orphaned sessions go to processes below it. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(10_000)
  SESSION_MAX_PER_PROCESS?: number;

  /** How long a process waits for the owner of a session to answer a forwarded command. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1_000) @Max(300_000)
  SESSION_FORWARD_TIMEOUT_MS?: number;

  /** Where the WhatsApp Web link lives: `database` (a snapshot in MongoDB, any process can restore it) or `local` (only DATA_DIR). */
  @IsOptional() @IsIn(['database', 'local'])
  SESSION_AUTH_STORE?: 'database' | 'local';

  /** Nobody linked within this time of the first QR: the session stops (reason QR_TIMEOUT). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(10_000)
  SESSION_QR_TIMEOUT_MS?: number;

  /** How long a signed onboarding link can be opened. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(30_000) @Max(86_400_000)
  ONBOARDING_LINK_TTL_MS?: number;

  // --- Outbound messages ---
  /** Minimum milliseconds between two sends on one session (0 = no pacing). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0)
  SEND_MIN_INTERVAL_MS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1024)
  MEDIA_MAX_BYTES?: number;

  // --- Webhooks ---
  /** Retry delays in ms, comma-separated; default is the one-day schedule. */
  @IsOptional() @Transform(toList) @Matches(/^\d+$/, { each: true, message: 'WEBHOOK_RETRY_DELAYS_MS must be numbers' })
  WEBHOOK_RETRY_DELAYS_MS?: string[];

  /** Cap on one event's whole delivery, throttled waits (429/503 + Retry-After) included; then it is dead. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(24 * 30)
  WEBHOOK_MAX_DELIVERY_HOURS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(100)
  WEBHOOK_TIMEOUT_MS?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  WEBHOOK_ENDPOINT_CONCURRENCY?: number;

  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(1000)
  WEBHOOK_WORKER_CONCURRENCY?: number;

  /** Re-enqueue sweep of stuck events and undispatched inbound messages. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(200)
  WEBHOOK_SWEEP_INTERVAL_MS?: number;

  /** Lifetime of signed media URLs in webhook payloads. */
  @IsOptional() @Transform(toInt) @IsInt() @Min(60)
  WEBHOOK_MEDIA_URL_TTL_SECONDS?: number;

  /** Days delivered and dead events stay in the delivery log (0 = forever). */
  @IsOptional() @Transform(toInt) @IsInt() @Min(0)
  WEBHOOK_LOG_RETENTION_DAYS?: number;
}
