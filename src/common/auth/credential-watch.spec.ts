import { lastValueFrom, Subject, toArray } from 'rxjs';
import { CredentialWatch, KEY_WINDOW_MS } from './credential-watch';
import { ApiKeyResolver, Principal } from './principal';

/** A key store where `active` says whether the key is valid, recording the freshness asked for. */
class FakeKeys extends ApiKeyResolver {
  active = true;
  asked: number[] = [];
  resolve(): Promise<Principal | undefined> {
    return Promise.resolve(undefined);
  }
  isActive(_id: string, maxAgeMs?: number): Promise<boolean> {
    this.asked.push(maxAgeMs ?? -1);
    return Promise.resolve(this.active);
  }
}

const account: Principal = { kind: 'account', clientIdentifier: 'acc', keyId: 'k1' };

describe('CredentialWatch', () => {
  it('passes events while the key is valid and ends before the first event after revocation', async () => {
    const keys = new FakeKeys();
    const source = new Subject<number>();
    const out = lastValueFrom(source.pipe(new CredentialWatch(keys).whileValid<number>(account, 60_000), toArray()));
    source.next(1);
    source.next(2);
    await new Promise((r) => setImmediate(r));
    keys.active = false;
    source.next(3);
    expect(await out).toEqual([1, 2]);
  });

  it('ends a stream with no events by polling, with answers fresh enough to stay within the key window', async () => {
    const keys = new FakeKeys();
    const out = lastValueFrom(new Subject<number>().pipe(new CredentialWatch(keys).whileValid<number>(account, 20), toArray()));
    await new Promise((r) => setTimeout(r, 50));
    keys.active = false;
    expect(await out).toEqual([]);
    // Poll interval + age of the answer never exceeds the documented window.
    expect(Math.max(...keys.asked) + 20).toBeLessThanOrEqual(KEY_WINDOW_MS);
  });

  it('leaves admin streams alone (the admin key changes only with a restart)', async () => {
    const keys = new FakeKeys();
    keys.active = false;
    const source = new Subject<number>();
    const out = lastValueFrom(source.pipe(new CredentialWatch(keys).whileValid<number>({ kind: 'admin' }, 10), toArray()));
    source.next(1);
    source.complete();
    expect(await out).toEqual([1]);
    expect(keys.asked).toEqual([]);
  });
});
