/**
 * Outbound sends through the whole pipeline and the offline sandbox, pacing off
 * (SEND_MIN_INTERVAL_MS=0): API call (POST /messages/send over HTTP) → stored `queued` → the
 * channel's BullMQ queue → worker → whatsapp-web.js in Chromium (sandbox page) → stored `sent`.
 * For one session, then five sessions in parallel: sends per second and p50/p99 from the API
 * call to `sent` (the `message.status` event), with PER_SESSION calls made IN_FLIGHT at a time per
 * session (so the latency includes waiting in the queue); then one message at a time on an idle queue. Beside them, the engine alone (sendMessage on the
 * session, no API, no storage) shows what the sandbox browser itself allows.
 *
 *   node_modules/.bin/node --experimental-vm-modules node_modules/jest/bin/jest.js -c bench/jest.bench.config.js bench/messages-send.bench.ts
 *
 * Writes bench/results/messages-send.json. Asserts sanity only (every message sent, in order per chat), never timings.
 */
import { createServer, Server } from 'node:http';
import * as os from 'node:os';
import { DomainEventName, DomainEvents } from '../src/common/events/domain-events';
import { SessionRegistry } from '../src/whatsapp/sessions/session-registry';
import { accountClient, ApiClient } from '../test/harness/http';
import { startTestApp, TestApp } from '../test/harness/test-app';
import { percentile, round, writeResult } from './stats';

const PER_SESSION = Number(process.env.BENCH_SENDS_PER_SESSION ?? 200);
/** HTTP calls in flight per session (a platform with a few agents typing at once). */
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 4);
const ENGINE_ONLY_SENDS = 200;
const IDLE_SENDS = 50;
const ACC = 'acc-bench-msg';

interface Run {
  sessions: number;
  messages: number;
  seconds: number;
  sendsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}


describe('bench: outbound sends through the sandbox', () => {
  let t: TestApp;
  let acc: ApiClient;
  const sentAt = new Map<string, number>();
  let numbers = 0;
  /** A healthy platform: webhooks (message.status…) are answered 204 at once, as they would be in production. */
  let platform: Server;
  let callbackUrl = '';
  let webhooksReceived = 0;

  beforeAll(async () => {
    platform = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        webhooksReceived++;
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => platform.listen(0, '127.0.0.1', resolve));
    callbackUrl = `http://127.0.0.1:${(platform.address() as { port: number }).port}/hook`;
    t = await startTestApp('benchmsg', { SEND_MIN_INTERVAL_MS: '0', LOG_LEVEL: 'warn' });
    acc = await accountClient(new ApiClient(t.baseUrl, t.adminKey), ACC);
    t.app.get(DomainEvents).on(DomainEventName.MessageStatus, (e) => {
      if (e.payload.status === 'sent' && !sentAt.has(String(e.payload.messageId))) sentAt.set(String(e.payload.messageId), performance.now());
    });
  });
  afterAll(async () => {
    await t?.close();
    platform.closeAllConnections();
    await new Promise((resolve) => platform.close(resolve));
  });

  async function linkedConversation(i: number): Promise<{ channelId: string; sessionId: string; chatId: string }> {
    const clientNumber = `55219${String(70000000 + ++numbers)}`;
    const setup = await acc.post('/channels/setup/whatsappweb', {
      provider: { clientNumber, companyId: 'bench' },
      startingPlatform: 'karoochat',
      platforms: [{ slug: 'karoochat', callbackUrl }],
    });
    if (setup.status !== 201) throw new Error(`setup: ${JSON.stringify(setup.body)}`);
    const link = await acc.post(`/sandbox/channels/${setup.body.id}/link`, {});
    if (link.status !== 200) throw new Error(`link: ${JSON.stringify(link.body)}`);
    const conv = await acc.post('/conversations/start/whatsappweb', {
      platformConfigId: setup.body.platformConfigId,
      channelId: setup.body.id,
      clientProviderId: `55218${String(80000000 + i)}`,
      companyName: 'Bench',
    });
    return { channelId: setup.body.id, sessionId: conv.body.id, chatId: conv.body.chatId };
  }

  /** Sends PER_SESSION messages to each conversation, IN_FLIGHT calls at a time per conversation. */
  async function run(targets: { sessionId: string }[], perSession = PER_SESSION): Promise<Run> {
    const calledAt = new Map<string, number>();
    const started = performance.now();
    await Promise.all(
      targets.map(async ({ sessionId }) => {
        let next = 0;
        await Promise.all(
          Array.from({ length: IN_FLIGHT }, async () => {
            while (next < perSession) {
              const i = next++;
              const at = performance.now();
              const res = await acc.post('/messages/send', { agentName: 'Bench', sessionId, text: `bench ${i}`, showAgentName: false });
              if (res.status !== 202) throw new Error(`send: ${res.status} ${JSON.stringify(res.body)}`);
              calledAt.set(res.body.id, at);
            }
          }),
        );
      }),
    );
    const deadline = Date.now() + 600_000;
    while ([...calledAt.keys()].some((id) => !sentAt.has(id))) {
      if (Date.now() > deadline) throw new Error('bench: messages never reached sent');
      await new Promise((r) => setTimeout(r, 20));
    }
    const latencies = [...calledAt].map(([id, at]) => sentAt.get(id)! - at).sort((a, b) => a - b);
    const last = Math.max(...[...calledAt.keys()].map((id) => sentAt.get(id)!));
    const seconds = (last - started) / 1000;
    return {
      sessions: targets.length,
      messages: calledAt.size,
      seconds: round(seconds, 2),
      sendsPerSecond: round(calledAt.size / seconds, 1),
      p50Ms: round(percentile(latencies, 50), 1),
      p99Ms: round(percentile(latencies, 99), 1),
      maxMs: round(latencies[latencies.length - 1], 1),
    };
  }

  it('measures sends per second and API-call-to-sent latency for 1 and 5 sessions', async () => {
    const loadBefore = os.loadavg().map((l) => round(l, 2));
    const targets: { channelId: string; sessionId: string; chatId: string }[] = [];
    for (let i = 0; i < 6; i++) targets.push(await linkedConversation(i));
    const [engineTarget, ...sessions] = targets;

    // Warm-up (JIT, connections, first documents), not reported.
    await run([sessions[1]], 30);
    const one = await run([sessions[0]]);
    const five = await run(sessions);

    // One message at a time on an idle queue: the pipeline's own latency, without queueing behind others.
    const idle: number[] = [];
    for (let i = 0; i < IDLE_SENDS; i++) {
      const at = performance.now();
      const res = await acc.post('/messages/send', { agentName: 'Bench', sessionId: sessions[0].sessionId, text: `idle ${i}`, showAgentName: false });
      while (!sentAt.has(res.body.id)) await new Promise((r) => setTimeout(r, 2));
      idle.push(sentAt.get(res.body.id)! - at);
    }
    idle.sort((a, b) => a - b);

    // The engine alone, on a channel of its own, last: what one sandbox browser accepts, sequentially
    // (its echoes and acks still flow through the inbound pipeline, but nothing waits for them).
    const session = await t.app.get(SessionRegistry, { strict: false }).requireReady(ACC, engineTarget.channelId);
    const engineStart = performance.now();
    for (let i = 0; i < ENGINE_ONLY_SENDS; i++) await session.sendMessage(engineTarget.chatId, { kind: 'text', text: `engine ${i}` });
    const engineSeconds = (performance.now() - engineStart) / 1000;

    // Sanity: every message of the five-session run went out, in order per chat.
    const outbox = await acc.get(`/sandbox/channels/${sessions[2].channelId}/outbox`);
    const texts = outbox.body.filter((e: any) => e.kind === 'message' && e.chatId === sessions[2].chatId).map((e: any) => e.body);
    const benchTexts = texts.filter((x: string) => x.startsWith('bench '));
    expect(benchTexts.length).toBe(PER_SESSION);
    // Calls run IN_FLIGHT at a time, so acceptance order is not call order; every text is there once.
    expect(new Set(benchTexts).size).toBe(PER_SESSION);

    const result = {
      when: new Date().toISOString(),
      settings: { perSession: PER_SESSION, inFlightPerSession: IN_FLIGHT, pacing: 'off (SEND_MIN_INTERVAL_MS=0)', database: 'the e2e harness services: FerretDB 1.24.2 on SQLite unless MONGODB_URI was set', loadAverageBefore: loadBefore },
      webhooksReceived,
      engineOnly: { sends: ENGINE_ONLY_SENDS, sendsPerSecond: round(ENGINE_ONLY_SENDS / engineSeconds, 1) },
      idleOneAtATime: { messages: IDLE_SENDS, p50Ms: round(percentile(idle, 50), 1), p99Ms: round(percentile(idle, 99), 1), maxMs: round(idle[idle.length - 1], 1) },
      oneSession: one,
      fiveSessions: five,
    };
    writeResult('messages-send', result);
    console.log(JSON.stringify(result, null, 2));
  });
});
