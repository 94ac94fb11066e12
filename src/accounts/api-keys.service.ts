import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { ApiKeyResolver, Principal } from '../common/auth/principal';
import { AppError } from '../common/errors/app-error';
import { ApiKeyRecord, ApiKeysRepository } from './api-keys.repository';

const KEY_PREFIX = 'omk_';
/**
 * Resolved keys are cached briefly so a request costs no extra database round trip. This is
 * the documented window: a revoked key stops working at once in the process that revoked it and
 * within this time in every other one (open streams included, see CredentialWatch).
 */
export const KEY_CACHE_TTL_MS = 30_000;
const CACHE_TTL_MS = KEY_CACHE_TTL_MS;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

@Injectable()
export class ApiKeysService extends ApiKeyResolver {
  private readonly cache = new Map<string, { principal?: Principal; expires: number }>();
  /** Whether a key id is still active, for sessions made from a key (the operator console). */
  private readonly activeIds = new Map<string, { active: boolean; checkedAt: number }>();

  constructor(private readonly repo: ApiKeysRepository) {
    super();
  }

  /** Creates a key for an account. The plain key is returned once and never stored. */
  async create(clientIdentifier: string, name?: string): Promise<ApiKeyRecord & { key: string }> {
    const key = KEY_PREFIX + randomBytes(32).toString('base64url');
    const record = await this.repo.insert({
      keyHash: hashApiKey(key),
      prefix: key.slice(0, KEY_PREFIX.length + 6),
      clientIdentifier,
      name,
    });
    return { ...record, key };
  }

  list(clientIdentifier: string): Promise<ApiKeyRecord[]> {
    return this.repo.listByAccount(clientIdentifier);
  }

  async revoke(id: string): Promise<ApiKeyRecord> {
    const record = await this.repo.revoke(id);
    if (!record) throw AppError.notFound('API_KEY_NOT_FOUND', `API key ${id} not found`);
    // This process forgets it now; other processes within CACHE_TTL_MS.
    this.cache.clear();
    this.activeIds.clear();
    return record;
  }

  /**
   * False once the key is revoked: at once in this process, within `maxAgeMs` in others. A
   * caller that polls passes less than CACHE_TTL_MS so that poll interval plus answer age stays
   * within the window.
   */
  async isActive(id: string, maxAgeMs = CACHE_TTL_MS): Promise<boolean> {
    const now = Date.now();
    const hit = this.activeIds.get(id);
    if (hit && now - hit.checkedAt < maxAgeMs) return hit.active;
    const active = !!(await this.repo.findActiveById(id));
    if (this.activeIds.size > 10_000) this.activeIds.clear();
    this.activeIds.set(id, { active, checkedAt: now });
    return active;
  }

  async resolve(key: string): Promise<Principal | undefined> {
    const keyHash = hashApiKey(key);
    const now = Date.now();
    const hit = this.cache.get(keyHash);
    if (hit && hit.expires > now) return hit.principal;
    const record = await this.repo.findActiveByHash(keyHash);
    const principal: Principal | undefined = record
      ? { kind: 'account', clientIdentifier: record.clientIdentifier, keyId: record.id }
      : undefined;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(keyHash, { principal, expires: now + CACHE_TTL_MS });
    return principal;
  }
}
