import type { AppConfig } from '../config/app-config';
import { credentialPreview, CredentialsCipher, CredentialsUnreadableError } from './credentials-cipher';

const config = (credentialsKey: string, oldCredentialsKeys: string[] = []) => ({ cloud: { credentialsKey, oldCredentialsKeys } }) as unknown as AppConfig;
const KEY_A = 'a'.repeat(40);
const KEY_B = 'b'.repeat(40);

describe('CredentialsCipher', () => {
  it('round-trips and never stores the plain value', () => {
    const cipher = new CredentialsCipher(config(KEY_A));
    const blob = cipher.encrypt({ accessToken: 'EAAG-secret-token', appSecret: 'shh' });
    expect(blob).not.toContain('EAAG');
    expect(blob.split(':')).toHaveLength(5);
    expect(cipher.decrypt(blob)).toEqual({ accessToken: 'EAAG-secret-token', appSecret: 'shh' });
  });

  it('uses a fresh IV each time', () => {
    const cipher = new CredentialsCipher(config(KEY_A));
    expect(cipher.encrypt({ a: 'x' })).not.toEqual(cipher.encrypt({ a: 'x' }));
  });

  it('refuses a tampered ciphertext', () => {
    const cipher = new CredentialsCipher(config(KEY_A));
    const parts = cipher.encrypt({ accessToken: 'token' }).split(':');
    const data = Buffer.from(parts[4], 'base64url');
    data[0] ^= 1;
    parts[4] = data.toString('base64url');
    expect(() => cipher.decrypt(parts.join(':'))).toThrow(CredentialsUnreadableError);
  });

  it('reads with an old key after rotation and says the blob needs rewriting', () => {
    const before = new CredentialsCipher(config(KEY_A)).encrypt({ apiKey: 'k1' });
    const after = new CredentialsCipher(config(KEY_B, [KEY_A]));
    expect(after.decrypt(before)).toEqual({ apiKey: 'k1' });
    expect(after.needsRotation(before)).toBe(true);
    expect(after.needsRotation(after.encrypt({ apiKey: 'k1' }))).toBe(false);
  });

  it('names the missing key when the old key was dropped', () => {
    const before = new CredentialsCipher(config(KEY_A)).encrypt({ apiKey: 'k1' });
    expect(() => new CredentialsCipher(config(KEY_B)).decrypt(before)).toThrow(/not configured/);
    expect(() => new CredentialsCipher(config(KEY_B)).decrypt('garbage')).toThrow(/known format/);
  });

  it('previews at most the last four characters', () => {
    expect(credentialPreview('EAAGabcdefgh1234')).toBe('…1234');
    expect(credentialPreview('abc')).toBe('…');
  });
});
