import { HttpStatus, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { RedisClient } from './redis-client';

/** Probe interval, and the age of the last answer after which Redis counts as away. */
const PROBE_MS = 250;
const STALE_MS = 900;

export const DEPENDENCY_UNAVAILABLE = 'DEPENDENCY_UNAVAILABLE';

/** 503 DEPENDENCY_UNAVAILABLE: a service the call needs (Redis) does not answer; retry later. */
export class DependencyUnavailableError extends AppError {
  constructor(dependency: string, detail?: string) {
    super(HttpStatus.SERVICE_UNAVAILABLE, DEPENDENCY_UNAVAILABLE, `${dependency} is not answering; retry shortly`, detail ? { dependency, detail } : { dependency });
  }
}

/**
 * Whether Redis answers, by the clock: a PING every PROBE_MS, and Redis counts as away once
 * no PONG came for STALE_MS (a stopped server keeps its socket open, so waiting for an error
 * would wait for the whole outage). Readiness and the API's fast 503s read it without a round trip.
 */
@Injectable()
export class RedisAvailability implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RedisAvailability.name);
  private lastPong = Date.now();
  private timer?: NodeJS.Timeout;
  private probing = false;
  private wasAvailable = true;

  constructor(private readonly client: RedisClient) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.probe(), PROBE_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  get available(): boolean {
    return this.client.redis.status === 'ready' && Date.now() - this.lastPong < STALE_MS;
  }

  /** Milliseconds since Redis last answered. */
  get silentForMs(): number {
    return Date.now() - this.lastPong;
  }

  /** Throws 503 DEPENDENCY_UNAVAILABLE at once while Redis is away. */
  assertAvailable(): void {
    if (!this.available) throw new DependencyUnavailableError('Redis', `no answer for ${this.silentForMs} ms`);
  }

  private async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    try {
      if ((await this.client.redis.ping()) === 'PONG') this.lastPong = Date.now();
    } catch {
      // stays stale
    } finally {
      this.probing = false;
    }
    const now = this.available;
    if (now !== this.wasAvailable) {
      if (now) this.logger.log('Redis answers again');
      else this.logger.error({ silentForMs: this.silentForMs }, 'Redis is not answering');
      this.wasAvailable = now;
    }
  }
}
