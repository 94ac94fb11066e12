import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { CipherKey, deriveKey } from '../../providers/credentials-cipher';

const ALGORITHM = 'aes-256-gcm';
/** Names the format; also authenticated, so a blob of another kind or version never opens as this one. */
const MAGIC = Buffer.from('OMCAUTH1', 'ascii');
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** HKDF info: the snapshot key is its own key, derived from the credentials key (domain separation). */
const KEY_INFO = 'omnichannel-server auth snapshot v1';

type Key = CipherKey;

/**
 * Same key material and key ids as CredentialsCipher (PROVIDER_CREDENTIALS_KEY and
 * PROVIDER_CREDENTIALS_OLD_KEYS); the snapshot key itself is derived from those bytes with HKDF.
 */
function deriveSnapshotKey(secret: string): Key {
  const base = deriveKey(secret);
  return { id: base.id, bytes: Buffer.from(hkdfSync('sha256', base.bytes, Buffer.alloc(0), KEY_INFO, 32)) };
}

/** A stored snapshot that cannot be opened: an unknown key, another channel's, or altered bytes. */
export class AuthSnapshotUnreadableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthSnapshotUnreadableError';
  }
}

/**
 * AES-256-GCM for binary snapshots (CredentialsCipher encrypts string records as text). Layout:
 * `OMCAUTH1 | key id length (1 byte) | key id | iv (12) | tag (16) | ciphertext`. The additional data
 * is the header plus a context (the channel id), so a snapshot copied under another channel fails to
 * open instead of linking that channel to someone else's account.
 */
@Injectable()
export class SnapshotCipher {
  private readonly current: Key;
  private readonly byId: Map<string, Key>;

  constructor(config: AppConfig) {
    this.current = deriveSnapshotKey(config.cloud.credentialsKey);
    this.byId = new Map([this.current, ...config.cloud.oldCredentialsKeys.map(deriveSnapshotKey)].map((k) => [k.id, k]));
  }

  /** Id of the key new blobs are written with. */
  get currentKeyId(): string {
    return this.current.id;
  }

  encrypt(plain: Buffer, context: string): Buffer {
    const keyId = Buffer.from(this.current.id, 'ascii');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current.bytes, iv);
    cipher.setAAD(additionalData(keyId, context));
    const data = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([MAGIC, Buffer.from([keyId.length]), keyId, iv, cipher.getAuthTag(), data]);
  }

  decrypt(blob: Buffer, context: string): Buffer {
    const header = parseHeader(blob);
    if (!header) throw new AuthSnapshotUnreadableError('the stored auth snapshot is not in a known format');
    const key = this.byId.get(header.keyId.toString('ascii'));
    if (!key)
      throw new AuthSnapshotUnreadableError(
        `the stored auth snapshot was encrypted with key ${header.keyId.toString('ascii')}, which is not configured (PROVIDER_CREDENTIALS_KEY / PROVIDER_CREDENTIALS_OLD_KEYS)`,
      );
    try {
      const decipher = createDecipheriv(ALGORITHM, key.bytes, header.iv);
      decipher.setAAD(additionalData(header.keyId, context));
      decipher.setAuthTag(header.tag);
      return Buffer.concat([decipher.update(header.data), decipher.final()]);
    } catch {
      throw new AuthSnapshotUnreadableError('the stored auth snapshot failed authentication (altered, another channel\'s, or the key changed)');
    }
  }

  /** The key id a blob names, or undefined when it is not one of ours. */
  keyIdOf(blob: Buffer): string | undefined {
    return parseHeader(blob)?.keyId.toString('ascii');
  }
}

function additionalData(keyId: Buffer, context: string): Buffer {
  return Buffer.concat([MAGIC, Buffer.from([keyId.length]), keyId, Buffer.from(context, 'utf8')]);
}

function parseHeader(blob: Buffer): { keyId: Buffer; iv: Buffer; tag: Buffer; data: Buffer } | undefined {
  if (blob.length < MAGIC.length + 1 || !blob.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const idLength = blob[MAGIC.length];
  const ivAt = MAGIC.length + 1 + idLength;
  if (idLength === 0 || blob.length < ivAt + IV_BYTES + TAG_BYTES) return undefined;
  return {
    keyId: blob.subarray(MAGIC.length + 1, ivAt),
    iv: blob.subarray(ivAt, ivAt + IV_BYTES),
    tag: blob.subarray(ivAt + IV_BYTES, ivAt + IV_BYTES + TAG_BYTES),
    data: blob.subarray(ivAt + IV_BYTES + TAG_BYTES),
  };
}
