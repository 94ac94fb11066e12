import { createServer, Server } from 'node:http';
import * as zlib from 'node:zlib';
import { ApiClient, accountClient } from '../harness/http';
import { startTestApp, TestApp } from '../harness/test-app';
import { eventually, setupChannel } from '../whatsapp/whatsapp-helpers';

/** A small real PNG (a gradient): the sandbox turns stickers into WebP by decoding it. */
export function makePng(width = 24, height = 16): Buffer {
  const row = 1 + width * 3;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set([(x * 255) / width, (y * 255) / height, 128], y * row + 1 + x * 3);
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

export const FILES = {
  png: makePng(),
  pdf: Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
  ogg: Buffer.concat([Buffer.from('OggS'), Buffer.from([0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 19]), Buffer.from('OpusHead'), Buffer.alloc(64, 1)]),
  mp4: Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2'), Buffer.alloc(128, 7)]),
};

/** Serves media for sends on 127.0.0.1 (allowed in tests), including the bad cases. */
export class MediaServer {
  private server?: Server;
  baseUrl = '';
  readonly hits: string[] = [];

  async start(bigBytes: number): Promise<void> {
    const routes: Record<string, [string, Buffer]> = {
      '/photo.png': ['image/png', FILES.png],
      '/files/relatório.pdf': ['application/pdf', FILES.pdf],
      '/lying.png': ['image/png', FILES.pdf],
      '/voice.ogg': ['audio/ogg', FILES.ogg],
      '/clip.mp4': ['video/mp4', FILES.mp4],
      '/notes.txt': ['text/plain; charset=utf-8', Buffer.from('just some notes\n')],
      '/empty': ['application/octet-stream', Buffer.alloc(0)],
      '/big.bin': ['application/octet-stream', Buffer.alloc(bigBytes, 1)],
    };
    this.server = createServer((req, res) => {
      const path = decodeURIComponent((req.url ?? '').split('?')[0]);
      this.hits.push(path);
      if (path === '/slow') return; // never answers: the fetch times out
      const hit = routes[path];
      if (!hit) return void res.writeHead(404).end('missing');
      res.writeHead(200, { 'content-type': hit[0], 'content-length': hit[1].length }).end(hit[1]);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface Messaging {
  t: TestApp;
  acc: ApiClient;
  channel: { id: string; platformConfigId: string; clientNumber: string };
  me: string;
  /** Path under the channel's sandbox control API. */
  sbx(path: string): string;
  startConversation(clientProviderId: string, over?: Record<string, unknown>): Promise<{ id: string; contactId: string; chatId: string }>;
  /** Polls GET /messages/:id until `ok` holds. */
  waitFor(id: string, ok: (m: any) => boolean, what?: string): Promise<any>;
  /** Waits for status sent or later; fails fast when the message failed. */
  waitSent(id: string): Promise<any>;
  outbox(): Promise<any[]>;
  /** The outbox entry (with media) for a WhatsApp message id. */
  outboxMessage(waMessageId: string): Promise<any>;
  close(): Promise<void>;
}

/** A test app with one channel linked in the sandbox (one Chromium for the whole spec file). */
export async function startMessaging(prefix: string, account: string, env: Record<string, string> = {}): Promise<Messaging> {
  const t = await startTestApp(prefix, { SEND_MIN_INTERVAL_MS: '0', OUTBOUND_TIMEOUT_MS: '1500', ...env });
  const acc = await accountClient(new ApiClient(t.baseUrl, t.adminKey), account);
  const channel = await setupChannel(acc);
  const sbx = (path: string) => `/sandbox/channels/${channel.id}${path}`;
  const linked = await acc.post(sbx('/link'), {});
  if (linked.status !== 200) throw new Error(`link failed: ${linked.status} ${JSON.stringify(linked.body)}`);
  const waitFor = (id: string, ok: (m: any) => boolean, what = 'message condition') =>
    eventually(() => acc.get(`/messages/${id}`), (r) => r.status === 200 && ok(r.body), 20_000, `${what} (${id})`).then((r) => r.body);
  const outbox = async () => {
    const res = await acc.get(sbx('/outbox?includeMedia=true'));
    if (res.status !== 200) throw new Error(`outbox: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as any[];
  };
  return {
    t,
    acc,
    channel,
    me: linked.body.me,
    sbx,
    async startConversation(clientProviderId, over = {}) {
      const res = await acc.post('/conversations/start/whatsappweb', {
        platformConfigId: channel.platformConfigId,
        channelId: channel.id,
        clientProviderId,
        userName: 'Cliente',
        companyName: 'Loja',
        platform: 'karoochat',
        ...over,
      });
      if (res.status !== 201 && res.status !== 200) throw new Error(`start failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    waitFor,
    async waitSent(id) {
      const m = await waitFor(id, (b) => b.status !== 'queued' && b.status !== 'sending', 'a final send status');
      if (m.status === 'failed') throw new Error(`message ${id} failed: ${m.statusReason}`);
      return m;
    },
    outbox,
    async outboxMessage(waMessageId) {
      const entries = await outbox();
      const hit = entries.find((e: any) => e.kind === 'message' && e.id === waMessageId);
      if (!hit) throw new Error(`outbox has no message ${waMessageId}: ${JSON.stringify(entries.map((e: any) => [e.kind, e.id ?? e.msgId]))}`);
      return hit;
    },
    close: () => t.close(),
  };
}
