import { INestApplicationContext } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MessagesRepository } from '../../src/messages/messages.repository';
import { Message, MessageSchema } from '../../src/messages/schemas/message.schema';
import { StoreAdapter } from '../../src/store/store-adapter';
import { uniqueDatabase } from '../harness/test-app';
import { startStoreApp } from '../store/store-apps';

const PER_APP = 25;
const ACC = 'acc-race';
const CH = '64ef5c84f9deb1326965a001';
const ACKS = ['delivered', 'read', 'played'] as const;
const RANK: Record<string, number> = { queued: 0, sending: 1, sent: 2, delivered: 3, read: 4, played: 5 };

/**
 * Two servers' message repositories on one store (each its own connections, adapter and so its own
 * in-process mutexes), racing on the same messages. Through the adapter nothing is lost; with only an
 * in-process lock (what the per-channel KeyedLock was) FerretDB loses writes.
 */
describe('MessagesRepository across servers sharing one store', () => {
  const database = uniqueDatabase('msgxp');
  const apps: INestApplicationContext[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  async function pair(inProcessLockOnly: boolean): Promise<MessagesRepository[]> {
    const start = () =>
      startStoreApp(database, { inProcessLockOnly, imports: [MongooseModule.forFeature([{ name: Message.name, schema: MessageSchema }])], providers: [MessagesRepository] });
    const started = [await start(), await start()];
    apps.push(...started);
    return started.map((app) => app.get(MessagesRepository));
  }

  const both = <T>(repos: MessagesRepository[], run: (repo: MessagesRepository, i: number, k: number) => Promise<T>): Promise<T[]> =>
    Promise.all(repos.flatMap((repo, i) => Array.from({ length: PER_APP }, (_, k) => run(repo, i, k))));

  const outbound = (repo: MessagesRepository, body: string) =>
    repo.insertOutbound(ACC, { channelId: CH, chatId: 'race@c.us', isGroup: false, kind: 'text', body, timestamp: new Date(), outbound: { op: 'send' } });

  /** Reactions from 2 x PER_APP distinct senders, claims and acks, all at once from both servers. */
  async function race(repos: MessagesRepository[], tag: string) {
    const wa = `false_race@c.us_${tag}`;
    const { message: target } = await repos[0].insertInbound(ACC, {
      channelId: CH, waMessageId: wa, chatId: 'race@c.us', isGroup: false, senderId: 'race@c.us', fromMe: false, kind: 'text', body: 'hi', status: 'received', timestamp: new Date(),
    });
    const { message: queued } = await outbound(repos[0], `claim ${tag}`);
    const { message: sent } = await outbound(repos[0], `acks ${tag}`);
    const sentWa = `true_race@c.us_${tag}`;
    await repos[0].claimForSending(ACC, CH, sent.id, 1);
    await repos[0].markSent(ACC, CH, sent.id, sentWa);

    const [, claims, moves] = await Promise.all([
      // A reaction that gives up under contention is a lost write like one overwritten (counted below, not thrown).
      both(repos, (repo, i, k) => repo.applyReaction(ACC, CH, wa, `${i}-${k}@c.us`, '👍').catch(() => undefined)),
      both(repos, (repo) => repo.claimForSending(ACC, CH, queued.id, 1)),
      both(repos, (repo, _i, k) => repo.advance(ACC, CH, { waMessageId: sentWa }, ACKS[k % ACKS.length])),
    ]);
    const done = (await repos[1].findById(ACC, sent.id))!;
    return {
      reactions: (await repos[1].findById(ACC, target.id))!.reactions?.length ?? 0,
      claimWinners: claims.filter(Boolean).length,
      moves: moves.filter((m) => m !== undefined).map((m) => [m.previous, m.message.status]),
      final: done.status,
      sentAgain: (await repos[1].findByWaId(ACC, CH, sentWa))?.id === sent.id,
    };
  }

  it('loses no reaction, has one claim winner and moves a status forward only, through the adapter', async () => {
    const repos = await pair(false);
    const result = await race(repos, 'adapter');
    expect(result.reactions).toBe(2 * PER_APP);
    expect(result.claimWinners).toBe(1);
    expect(result.final).toBe('played');
    expect(result.sentAgain).toBe(true);
    // Each move left a lower status, and no status was reached twice.
    for (const [previous, to] of result.moves) expect(RANK[previous]).toBeLessThan(RANK[to]);
    expect(new Set(result.moves.map(([, to]) => to)).size).toBe(result.moves.length);
  });

  it('loses writes on FerretDB with an in-process lock alone (what the per-channel lock was)', async () => {
    const repos = await pair(true);
    const result = await race(repos, 'in-process-only');
    if (apps[apps.length - 1].get(StoreAdapter).kind === 'mongodb') {
      // MongoDB's guarded updates are atomic by themselves.
      expect(result.reactions).toBe(2 * PER_APP);
      expect(result.claimWinners).toBe(1);
    } else {
      const duplicateMoves = result.moves.length - new Set(result.moves.map(([, to]) => to)).size;
      expect(2 * PER_APP - result.reactions + (result.claimWinners - 1) + duplicateMoves).toBeGreaterThan(0);
    }
  });
});
