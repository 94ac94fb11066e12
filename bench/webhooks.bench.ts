import { ConnectionOptions, Queue, Worker } from 'bullmq';
import { cpus, loadavg } from 'node:os';
import { redisOptionsFromUrl } from '../src/redis/redis.module';
import { WebhookOutbox } from '../src/webhooks/webhook-outbox.service';
import { InboundEventSink } from '../src/whatsapp/engine/inbound-sink.port';
import type { EngineSession } from '../src/whatsapp/engine/messaging-engine.port';
import { accountClient, ApiClient } from '../test/harness/http';
import { startTestApp, TestApp } from '../test/harness/test-app';
import { percentile, round, writeResult } from './stats';
import { BenchReceiver, inject, poster, sign } from './webhooks-support';

/**
 * Webhook delivery, end to end: events injected at the messaging port (InboundEventSink.handle,
 * as the session manager calls it) until a 2xx at a local keep-alive receiver. In the same run:
 * BullMQ alone posting the same payloads (no storage), and a naive in-process POST (no queue, no
 * storage). Also the delivery engine alone (events recorded straight into the outbox, without the
 * contact and message writes of the inbound pipeline). Each gets a throughput run (50 injections in flight, up to EVENTS or BUDGET seconds)
 * and a latency run offered at RATE events/s for SECONDS (at most 200 in flight, so a system that
 * cannot keep up falls behind the offered rate instead of piling up). Numbers only.
 *
 *   node_modules/.bin/node --experimental-vm-modules node_modules/jest/bin/jest.js -c bench/jest.bench.config.js bench/webhooks.bench.ts
 *
 * MONGODB_URI picks the database (default: the harness's FerretDB on SQLite), e.g. a FerretDB
 * on PostgreSQL: ferretdb --handler postgresql --postgresql-url postgres://postgres@127.0.0.1:5432/test
 */
const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 5_000);
const BUDGET_S = Number(process.env.BENCH_WEBHOOK_BUDGET_SECONDS ?? 60);
const RATE = Number(process.env.BENCH_WEBHOOK_RATE ?? 1_000);
const SECONDS = Number(process.env.BENCH_WEBHOOK_SECONDS ?? 5);
const DRAIN_S = Number(process.env.BENCH_WEBHOOK_DRAIN_SECONDS ?? 300);
const CONCURRENCY = 50;
const PACED_IN_FLIGHT = 200;
const CHATS = 100;
const ACC = 'acc-bench';

interface RunResult {
  offeredPerSecond: number | 'max';
  injected: number;
  delivered: number;
  seconds: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

class Run {
  readonly injectedAt = new Map<string, number>();
  readonly arrivedAt = new Map<string, number>();
  readonly started = performance.now();

  summary(offered: number, injected: number): RunResult {
    const latencies: number[] = [];
    let last = this.started;
    for (const [id, at] of this.arrivedAt) {
      const from = this.injectedAt.get(id);
      if (from === undefined) continue;
      latencies.push(at - from);
      last = Math.max(last, at);
    }
    latencies.sort((a, b) => a - b);
    const seconds = (last - this.started) / 1000;
    return {
      offeredPerSecond: offered === Infinity ? 'max' : offered,
      injected,
      delivered: latencies.length,
      seconds: round(seconds, 2),
      eventsPerSecond: round(latencies.length / seconds, 0),
      p50Ms: round(percentile(latencies, 50), 1),
      p99Ms: round(percentile(latencies, 99), 1),
      maxMs: round(latencies[latencies.length - 1] ?? NaN, 1),
    };
  }

  async drain(what: string, injected: number): Promise<void> {
    const deadline = Date.now() + DRAIN_S * 1000;
    let report = Date.now() + 5_000;
    while (this.arrivedAt.size < injected && Date.now() < deadline) {
      if (Date.now() > report) {
        report = Date.now() + 5_000;
        process.stderr.write(`  … ${what}: ${this.arrivedAt.size}/${injected} delivered\n`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

const noSession = { channelId: '', downloadMedia: async () => undefined } as unknown as EngineSession;

describe('webhooks bench', () => {
  let t: TestApp;
  const receiver = new BenchReceiver();

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp('whbench', {
      WEBHOOK_WORKER_CONCURRENCY: String(CONCURRENCY),
      WEBHOOK_ENDPOINT_CONCURRENCY: String(CONCURRENCY),
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    });
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('prints events/s and latency: ours vs BullMQ alone vs naive POST', async () => {
    const acc = await accountClient(new ApiClient(t.baseUrl, t.adminKey), ACC);
    const setup = await acc.post('/channels/setup/whatsappweb', {
      provider: { clientNumber: '5521987659999', companyId: 'bench' },
      startingPlatform: 'bench',
      platforms: [{ slug: 'bench', callbackUrl: receiver.url }],
    });
    expect(setup.status).toBe(201);
    const channelId: string = setup.body.id;
    const secret: string = setup.body.platforms[0].secret;
    const sink = t.app.get(InboundEventSink, { strict: false });
    const load = [round(loadavg()[0], 1)];

    /** Runs one measurement: `fire(run, i)` injects event i and records its injection time. */
    const measure = async (what: string, offered: number, fire: (run: Run, i: number) => Promise<void>) => {
      const run = new Run();
      current = run;
      const paced = offered !== Infinity;
      const injected = await inject(
        paced ? Math.round(offered * SECONDS) : EVENTS,
        offered,
        paced ? PACED_IN_FLIGHT : CONCURRENCY,
        (i) => fire(run, i),
        (paced ? SECONDS : BUDGET_S) * 1000,
      );
      process.stderr.write(`  ${what}: ${injected} injected in ${round((performance.now() - run.started) / 1000, 1)} s\n`);
      await run.drain(what, injected);
      const r = run.summary(offered, injected);
      process.stderr.write(`  ${what}: ${JSON.stringify(r)}\n`);
      load.push(round(loadavg()[0], 1));
      return r;
    };
    let current = new Run();

    // ---- ours: port → contact → message stored with outbox marker → event stored → BullMQ → signed POST
    const bodies: string[] = [];
    receiver.onArrival = (body, at) => {
      const p = JSON.parse(body) as { data: { message: { waMessageId: string } } };
      current.arrivedAt.set(p.data.message.waMessageId, at);
      if (bodies.length < 1_000) bodies.push(body);
    };
    let counter = 0;
    const fireOurs = async (run: Run) => {
      const n = counter++;
      const chatId = `55219${String(80_000_000 + (n % CHATS))}@c.us`;
      const id = `false_${chatId}_BENCH${n.toString(16).padStart(12, '0').toUpperCase()}`;
      run.injectedAt.set(id, performance.now());
      await sink.handle(
        { clientIdentifier: ACC, channelId },
        {
          type: 'message',
          message: { id, chatId, senderId: chatId, senderName: 'Bench', isGroup: false, fromMe: false, timestamp: Math.floor(Date.now() / 1000), kind: 'text', body: `mensagem ${n}` },
        },
        noSession,
      );
    };
    // Warm-up: the contact of every chat exists, connections are open.
    const warm = new Run();
    current = warm;
    await inject(CHATS * 2, Infinity, 10, () => fireOurs(warm));
    await warm.drain('warm-up', CHATS * 2);

    const ours = { throughput: await measure('ours (max)', Infinity, fireOurs), latency: await measure(`ours (${RATE}/s)`, RATE, fireOurs) };

    // ---- the delivery engine alone: events recorded straight into the outbox (no contact, no
    // message row): event insert + seq + BullMQ + signed POST + attempt log
    const outbox = t.app.get(WebhookOutbox);
    const sample = JSON.parse(bodies[0]) as { data: { message: Record<string, unknown>; contact: unknown } };
    const fireOutbox = async (run: Run) => {
      const n = counter++;
      const chatId = `55219${String(80_000_000 + (n % CHATS))}@c.us`;
      const id = `false_${chatId}_OUTBOX${n.toString(16).padStart(12, '0').toUpperCase()}`;
      run.injectedAt.set(id, performance.now());
      await outbox.record({
        key: `${channelId}:message.received:${id}`,
        clientIdentifier: ACC,
        channelId,
        platform: 'bench',
        type: 'message.received',
        chatId,
        data: { ...sample.data, message: { ...sample.data.message, waMessageId: id, chatId } },
      });
    };
    const outboxOnly = {
      throughput: await measure('outbox only (max)', Infinity, fireOutbox),
      latency: await measure(`outbox only (${RATE}/s)`, RATE, fireOutbox),
    };

    // ---- BullMQ alone: the same bodies as jobs, a worker POSTs them (no database)
    const connection = redisOptionsFromUrl(process.env.REDIS_URL!) as ConnectionOptions;
    const prefix = `${t.database}_alone`;
    const queue = new Queue<{ id: string; body: string }>('alone', { connection, prefix });
    const http = poster(CONCURRENCY);
    const worker = new Worker<{ id: string; body: string }>(
      'alone',
      async (job) => {
        const status = await http.post(receiver.url, job.data.body, sign(secret, job.data.id, job.data.body));
        if (status < 200 || status >= 300) throw new Error(`HTTP ${status}`);
      },
      { connection, prefix, concurrency: CONCURRENCY },
    );
    await worker.waitUntilReady();
    receiver.onArrival = (body, at) => current.arrivedAt.set((JSON.parse(body) as { id: string }).id, at);
    let runNo = 0;
    const withId = (i: number) => {
      const id = `r${runNo}-${i}`;
      return { id, body: bodies[i % bodies.length].replace(/"id":"[^"]+"/, `"id":"${id}"`) };
    };
    const fireAlone = async (run: Run, i: number) => {
      const { id, body } = withId(i);
      run.injectedAt.set(id, performance.now());
      await queue.add('post', { id, body }, { jobId: id, removeOnComplete: true, removeOnFail: true });
    };
    runNo++;
    await measure('BullMQ alone (warm-up)', Infinity, fireAlone);
    runNo++;
    const throughputAlone = await measure('BullMQ alone (max)', Infinity, fireAlone);
    runNo++;
    const alone = { throughput: throughputAlone, latency: await measure(`BullMQ alone (${RATE}/s)`, RATE, fireAlone) };
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();

    // ---- naive: POST in process at injection, no queue, no storage, no retry
    const fireNaive = async (run: Run, i: number) => {
      const { id, body } = withId(i);
      run.injectedAt.set(id, performance.now());
      await http.post(receiver.url, body, sign(secret, id, body));
    };
    runNo++;
    const throughputNaive = await measure('naive POST (max)', Infinity, fireNaive);
    runNo++;
    const naive = { throughput: throughputNaive, latency: await measure(`naive POST (${RATE}/s)`, RATE, fireNaive) };
    http.close();

    const result = {
      when: new Date().toISOString(),
      setup: {
        maxEvents: EVENTS,
        budgetSeconds: BUDGET_S,
        offeredRate: RATE,
        pacedSeconds: SECONDS,
        injectionConcurrency: CONCURRENCY,
        workerConcurrency: CONCURRENCY,
        endpointConcurrency: CONCURRENCY,
        chats: CHATS,
        database: process.env.BENCH_DATABASE_LABEL ?? 'the e2e harness database (FerretDB 1.24 on SQLite unless MONGODB_URI is set)',
        cpus: cpus().length,
        loadAverage1m: load,
      },
      ours,
      outboxOnly,
      bullmqAlone: alone,
      naivePost: naive,
      oursVsBullmqAlone: round(ours.throughput.eventsPerSecond / alone.throughput.eventsPerSecond, 3),
      outboxOnlyVsBullmqAlone: round(outboxOnly.throughput.eventsPerSecond / alone.throughput.eventsPerSecond, 3),
      goal: 'ours >= 0.5 x BullMQ alone (events/s), storing every event',
    };
    console.log(JSON.stringify(result, null, 2));
    writeResult(process.env.BENCH_RESULT_NAME ?? 'webhooks', result);
    expect(ours.throughput.delivered).toBe(ours.throughput.injected);
    expect(alone.throughput.delivered).toBe(alone.throughput.injected);
  });
});
