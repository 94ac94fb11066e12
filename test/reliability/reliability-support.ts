import mongoose from 'mongoose';
import { Agent, request } from 'node:http';
import { ApiClient, accountClient } from '../harness/http';
import { TEST_ADMIN_KEY } from '../harness/test-app';
import { Auditor } from '../webhooks/fault-support';
import { Received, verify, WebhookReceiver } from '../webhooks/receiver';
import { nextNumber, ServerProcess } from '../whatsapp/whatsapp-helpers';

/** A platform that verifies every webhook's signature and audits what it acknowledged. */
export class SignedPlatform {
  readonly receiver = new WebhookReceiver();
  readonly auditor = new Auditor(this.receiver);
  secret = '';
  /** Requests whose signature did not verify (must stay empty). */
  readonly badSignatures: Received[] = [];

  async start(): Promise<void> {
    await this.receiver.start();
    this.auditor.serve((r) => {
      try {
        verify(this.secret, r);
      } catch {
        this.badSignatures.push(r);
        return { status: 401 };
      }
      return { status: 200 };
    });
  }

  /** Verified payloads of one type. */
  events(type: string): { type: string; data: Record<string, unknown> }[] {
    return this.receiver.ofType(type).map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> });
  }
}

/** An account with one WhatsApp Web channel linked in the sandbox, its platform the signed receiver. */
export async function linkedChannel(server: ServerProcess, platform: SignedPlatform, account: string): Promise<{ acc: ApiClient; channelId: string; platformConfigId: string }> {
  const acc = await accountClient(new ApiClient(server.baseUrl, TEST_ADMIN_KEY), account);
  const res = await acc.post('/channels/setup/whatsappweb', {
    provider: { clientNumber: nextNumber(), companyId: 'c1' },
    startingPlatform: 'p',
    platforms: [{ slug: 'p', callbackUrl: `${platform.receiver.url}/hook` }],
  });
  if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${JSON.stringify(res.body)}`);
  platform.secret = res.body.platforms?.[0]?.secret ?? platform.secret;
  const linked = await acc.post(`/sandbox/channels/${res.body.id}/link`, {});
  if (linked.body.state !== 'READY') throw new Error(`link failed: ${JSON.stringify(linked.body)}`);
  return { acc, channelId: res.body.id, platformConfigId: res.body.platformConfigId };
}

/**
 * Inbound messages through the sandbox, 4 at a time, until `count` were accepted (201). `onAccepted`
 * may act mid-burst (restart, SIGTERM); calls refused meanwhile are retried until `deadline`.
 */
export async function burst(
  client: () => ApiClient | undefined,
  channelId: () => string,
  count: number,
  onAccepted: (accepted: number) => void = () => undefined,
  stopWhen: () => boolean = () => false,
): Promise<{ accepted: string[]; refused: number }> {
  const accepted: string[] = [];
  let refused = 0;
  let seq = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (accepted.length < count && !stopWhen()) {
        const acc = client();
        if (!acc) return;
        const i = seq++;
        try {
          const res = await acc.post(`/sandbox/channels/${channelId()}/inbound`, { from: `55219777${String(10_000 + (i % 20))}`, text: `burst ${i}` });
          if (res.status === 201) {
            accepted.push(res.body.messageId);
            onAccepted(accepted.length);
          } else {
            refused++;
            await new Promise((r) => setTimeout(r, 50));
          }
        } catch {
          refused++;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }),
  );
  return { accepted, refused };
}

export async function storedInbound(db: mongoose.Connection, channelId: string): Promise<Set<string>> {
  const docs = await db.collection('messages').find({ channelId, direction: 'inbound' }, { projection: { waMessageId: 1 } }).toArray();
  return new Set(docs.map((d) => String(d.waMessageId)));
}

/**
 * Requests on `connections` keep-alive sockets, back to back, until stopped: the steady traffic
 * that kept a server answering after SIGTERM. Counts answers and transport errors.
 */
export function keepAliveTraffic(baseUrl: string, path: string, apiKey: string, connections = 4): { stop: () => Promise<{ answered: number; errors: number }> } {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(path, baseUrl);
  let running = true;
  let answered = 0;
  let errors = 0;
  const once = () =>
    new Promise<void>((resolve) => {
      const req = request(url, { agent, headers: { authorization: `Bearer ${apiKey}` } }, (res) => {
        res.resume();
        res.on('end', () => {
          answered++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const loops = Array.from({ length: connections }, async () => {
    while (running) {
      const before = errors;
      await once();
      // A refused connection means the server stopped listening: slow down, do not spin.
      if (errors > before) await new Promise((r) => setTimeout(r, 100));
    }
  });
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return { answered, errors };
    },
  };
}
