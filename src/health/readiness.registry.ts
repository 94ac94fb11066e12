import { Injectable } from '@nestjs/common';

export interface ReadinessResult {
  up: boolean;
  details?: Record<string, unknown>;
}

export type ReadinessCheck = () => Promise<ReadinessResult>;

/**
 * Features add their own readiness checks (the session manager adds its sessions) without
 * the health module knowing about them.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  entries(): [string, ReadinessCheck][] {
    return [...this.checks.entries()];
  }
}
