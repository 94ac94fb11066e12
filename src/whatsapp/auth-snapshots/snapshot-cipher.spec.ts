import type { AppConfig } from '../../config/app-config';
import { CredentialsCipher } from '../../providers/credentials-cipher';
import { AuthSnapshotUnreadableError, SnapshotCipher } from './snapshot-cipher';

const KEY_A = 'a'.repeat(32);
const KEY_B = 'b'.repeat(32);

function config(credentialsKey: string, oldCredentialsKeys: string[] = []): AppConfig {
  return { cloud: { credentialsKey, oldCredentialsKeys } } as unknown as AppConfig;
}

describe('SnapshotCipher', () => {
  const plain = Buffer.from('tar.gz bytes of a linked profile');

  it('round-trips binary data and does not leave it readable', () => {
    const sut = new SnapshotCipher(config(KEY_A));
    const blob = sut.encrypt(plain, 'channel-1');
    expect(blob.includes(plain)).toBe(false);
    expect(sut.decrypt(blob, 'channel-1')).toEqual(plain);
    // A fresh IV every time.
    expect(sut.encrypt(plain, 'channel-1').equals(blob)).toBe(false);
  });

  it("names the same key id as CredentialsCipher for the same configured key", () => {
    const credentials = new CredentialsCipher(config(KEY_A));
    const credentialsKeyId = credentials.encrypt({ x: 'y' }).split(':')[1];
    const sut = new SnapshotCipher(config(KEY_A));
    expect(sut.currentKeyId).toBe(credentialsKeyId);
    expect(sut.keyIdOf(sut.encrypt(plain, 'c'))).toBe(credentialsKeyId);
  });

  it("refuses another channel's snapshot, altered bytes and unknown formats", () => {
    const sut = new SnapshotCipher(config(KEY_A));
    const blob = sut.encrypt(plain, 'channel-1');
    expect(() => sut.decrypt(blob, 'channel-2')).toThrow(AuthSnapshotUnreadableError);
    const altered = Buffer.from(blob);
    altered[altered.length - 1] ^= 1;
    expect(() => sut.decrypt(altered, 'channel-1')).toThrow(AuthSnapshotUnreadableError);
    expect(() => sut.decrypt(Buffer.from('not ours'), 'channel-1')).toThrow(/not in a known format/);
  });

  it('reads snapshots of an old key during a rotation and names a key it does not have', () => {
    const before = new SnapshotCipher(config(KEY_A));
    const blob = before.encrypt(plain, 'c');
    expect(new SnapshotCipher(config(KEY_B, [KEY_A])).decrypt(blob, 'c')).toEqual(plain);
    expect(() => new SnapshotCipher(config(KEY_B)).decrypt(blob, 'c')).toThrow(new RegExp(`key ${before.currentKeyId}, which is not configured`));
  });
});
