import { ChatSequencer, SEQ_BLOCK } from './chat-sequencer';
import { ChatSequencesRepository } from './chat-sequences.repository';

class FakeCounters {
  rows = new Map<string, number>();
  calls = 0;
  async reserve(key: string, count: number) {
    this.calls++;
    await new Promise((r) => setTimeout(r, 1));
    const top = (this.rows.get(key) ?? 0) + count;
    this.rows.set(key, top);
    return top;
  }
}

describe('ChatSequencer', () => {
  it('hands out increasing numbers per chat with one write per block', async () => {
    const repo = new FakeCounters();
    const sut = new ChatSequencer(repo as unknown as ChatSequencesRepository);
    const seen: number[] = [];
    for (let i = 0; i < SEQ_BLOCK * 2 + 5; i++) seen.push(await sut.next('ch', 'a@c.us'));
    expect(seen).toEqual(Array.from({ length: SEQ_BLOCK * 2 + 5 }, (_, i) => i + 1));
    expect(repo.calls).toBe(3);
    expect(await sut.next('ch', 'b@c.us')).toBe(1);
  });

  it('numbers concurrent calls in call order, reserving once', async () => {
    const repo = new FakeCounters();
    const sut = new ChatSequencer(repo as unknown as ChatSequencesRepository);
    const got = await Promise.all(Array.from({ length: 10 }, () => sut.next('ch', 'a@c.us')));
    expect(got).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(repo.calls).toBe(1);
  });

  it('fails only the caller whose reservation failed; the next caller of the chat reserves again', async () => {
    const repo = new FakeCounters();
    const reserve = repo.reserve.bind(repo);
    let failNext = true;
    repo.reserve = async (key: string, count: number) => {
      if (failNext) {
        failNext = false;
        repo.calls++;
        throw new Error('store unavailable');
      }
      return reserve(key, count);
    };
    const sut = new ChatSequencer(repo as unknown as ChatSequencesRepository);
    const [first, second] = await Promise.allSettled([sut.next('ch', 'a@c.us'), sut.next('ch', 'a@c.us')]);
    expect(first).toMatchObject({ status: 'rejected', reason: new Error('store unavailable') });
    expect(second).toEqual({ status: 'fulfilled', value: 1 });
    expect(repo.calls).toBe(2);
  });

  it('continues above every number handed out before, after a restart', async () => {
    const repo = new FakeCounters();
    const first = new ChatSequencer(repo as unknown as ChatSequencesRepository);
    const a = await first.next('ch', 'a@c.us');
    const second = new ChatSequencer(repo as unknown as ChatSequencesRepository);
    const b = await second.next('ch', 'a@c.us');
    expect(b).toBeGreaterThan(a);
    expect(b).toBe(SEQ_BLOCK + 1);
  });
});
