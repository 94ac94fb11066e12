import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AppConfig } from '../config/app-config';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';

export interface CipherKey {
  id: string;
  bytes: Buffer;
}
type Key = CipherKey;

/**
 * A configured key string becomes 32 bytes through SHA-256; its id is what ciphertexts name to pick it
 * again. Shared with the link snapshots' cipher, which derives its own key from these bytes.
 */
export function deriveKey(secret: string): Key {
  const bytes = createHash('sha256').update(secret, 'utf8').digest();
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
}

/** Thrown when a stored secret cannot be read back: no configured key made it, or it was altered. */
export class CredentialsUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsUnreadableError';
  }
}

/**
 * Encrypts provider credentials at rest with AES-256-GCM (`v1:<key id>:<iv>:<tag>:<ciphertext>`,
 * base64url parts). The key id lets a rotation keep old keys for reading (PROVIDER_CREDENTIALS_OLD_KEYS)
 * while everything written uses the current key; `needsRotation` tells a reader to write it back.
 */
@Injectable()
export class CredentialsCipher {
  private readonly current: Key;
  private readonly byId: Map<string, Key>;

  constructor(config: AppConfig) {
    this.current = deriveKey(config.cloud.credentialsKey);
    this.byId = new Map([this.current, ...config.cloud.oldCredentialsKeys.map(deriveKey)].map((k) => [k.id, k]));
  }

  encrypt(value: Record<string, string>): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, this.current.bytes, iv);
    // The key id is authenticated too: a ciphertext moved under another key id fails to open.
    cipher.setAAD(Buffer.from(`${VERSION}:${this.current.id}`));
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return [VERSION, this.current.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join(':');
  }

  decrypt(blob: string): Record<string, string> {
    const [version, keyId, iv, tag, data] = blob.split(':');
    if (version !== VERSION || !keyId || !iv || !tag || data === undefined) throw new CredentialsUnreadableError('stored credentials are not in a known format');
    const key = this.byId.get(keyId);
    if (!key) throw new CredentialsUnreadableError(`stored credentials were encrypted with key ${keyId}, which is not configured (PROVIDER_CREDENTIALS_KEY / PROVIDER_CREDENTIALS_OLD_KEYS)`);
    try {
      const decipher = createDecipheriv(ALGORITHM, key.bytes, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(`${VERSION}:${keyId}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      const text = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
      return JSON.parse(text) as Record<string, string>;
    } catch {
      throw new CredentialsUnreadableError('stored credentials failed authentication (altered, or the key changed)');
    }
  }

  /** True when the blob was written with an older key: re-encrypt it with the current one. */
  needsRotation(blob: string): boolean {
    return blob.split(':')[1] !== this.current.id;
  }
}

/** What reads show of a provider secret: its last four characters, never more than a quarter of it. */
export function credentialPreview(secret: string): string {
  const shown = Math.min(4, Math.floor(secret.length / 4));
  return shown > 0 ? `…${secret.slice(-shown)}` : '…';
}
