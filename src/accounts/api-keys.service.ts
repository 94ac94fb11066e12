import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { ApiKeyResolver, Principal } from '../common/auth/principal';
import { AppError } from '../common/errors/app-error';
import { ApiKeyRecord, ApiKeysRepository } from './api-keys.repository';

const KEY_PREFIX = 'omk_';
/** Resolved keys are cached briefly so a request costs no extra database round trip. */
const CACHE_TTL_MS = 30_000;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

@Injectable()
export class ApiKeysService extends ApiKeyResolver {
  private readonly cache = new Map<string, { principal?: Principal; expires: number }>();
  /** Whether a key id is still active, for sessions made from a key (the operator console). */
  private readonly activeIds = new Map<string, { active: boolean; expires: number }>();

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

  /** False once the key is revoked: at once in this process, within CACHE_TTL_MS in others. */
  async isActive(id: string): Promise<boolean> {
    const now = Date.now();
    const hit = this.activeIds.get(id);
    if (hit && hit.expires > now) return hit.active;
    const active = !!(await this.repo.findActiveById(id));
    if (this.activeIds.size > 10_000) this.activeIds.clear();
    this.activeIds.set(id, { active, expires: now + CACHE_TTL_MS });
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
