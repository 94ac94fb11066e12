import { createHmac } from 'node:crypto';
import { Agent, createServer, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * The platform: answers 200 at once on keep-alive connections and reports each arrival by
 * the key the test extracts from the body (arrival time in ms, performance.now()).
 */
export class BenchReceiver {
  private server?: Server;
  port = 0;
  count = 0;
  onArrival: (body: string, at: number) => void = () => undefined;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const at = performance.now();
        this.count++;
        res.writeHead(200, { 'content-length': '0' });
        res.end();
        this.onArrival(Buffer.concat(chunks).toString('utf8'), at);
      });
    });
    this.server.keepAliveTimeout = 120_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A keep-alive POST, the way the delivery worker does it (node:http, not fetch). */
export function poster(maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const post = (url: string, body: string, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}

/** Standard Webhooks headers, as the server computes them. */
export function sign(secret: string, id: string, body: string): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000).toString();
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64')}` };
}

/**
 * Injects up to `total` events at `rate` per second (Infinity: as fast as `maxInFlight`
 * allows), never more than `maxInFlight` unfinished at once, and stops issuing new ones after
 * `budgetMs`. Resolves with how many were injected once every call returned.
 */
export async function inject(total: number, rate: number, maxInFlight: number, fire: (i: number) => Promise<void>, budgetMs = Infinity): Promise<number> {
  let next = 0;
  let inFlight = 0;
  const started = performance.now();
  return new Promise<number>((resolve, reject) => {
    let failed = false;
    const stopped = () => next >= total || performance.now() - started > budgetMs;
    const pump = () => {
      if (failed) return;
      if (stopped()) {
        if (inFlight === 0) resolve(next);
        return;
      }
      const due = rate === Infinity ? total : Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
      while (next < due && inFlight < maxInFlight && !stopped()) {
        const i = next++;
        inFlight++;
        fire(i).then(
          () => {
            inFlight--;
            if (rate === Infinity || stopped()) pump();
          },
          (err: unknown) => {
            failed = true;
            reject(err);
          },
        );
      }
      if (rate !== Infinity && !stopped()) setTimeout(pump, 1);
    };
    pump();
  });
}
