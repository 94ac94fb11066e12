import type { MediaPayload } from '../../whatsapp/engine/messaging-engine.port';
import { classifyCloudError, type CloudFailure } from './cloud-errors';

/** One official-API number as the client needs it (secrets decrypted, in memory only). */
export interface CloudAccount {
  flavour: 'meta' | 'd360';
  phoneNumberId?: string;
  wabaId?: string;
  apiVersion: string;
  accessToken?: string;
  apiKey?: string;
}

export interface CloudEndpoints {
  graphApiUrl: string;
  d360ApiUrl: string;
  timeoutMs: number;
  maxMediaBytes: number;
}

/** An approved (or pending, rejected…) message template of the number's business account. */
export interface CloudTemplate {
  name: string;
  language: string;
  status: string;
  category?: string;
  components?: unknown[];
}

/** A call the official API refused or that did not answer: `failure` says whether to retry. */
export class CloudApiError extends Error {
  constructor(
    readonly failure: CloudFailure,
    readonly status: number,
  ) {
    super(failure.message);
    this.name = 'CloudApiError';
  }
}

/**
 * HTTP client of Meta's Cloud API (`<graph>/<version>/<phone-number-id>/…`, bearer token) and of
 * 360dialog's hosted copy (`<d360>/…`, D360-API-KEY): same bodies, different base and auth. Every
 * call ends by CLOUD_API_TIMEOUT_MS. The base URLs are the operator's configuration, never a user's.
 */
export class CloudClient {
  constructor(
    private readonly account: CloudAccount,
    private readonly endpoints: CloudEndpoints,
  ) {}

  /** POST …/messages: a send, a reaction or a mark-as-read. Returns the wamid of a send. */
  async post(body: Record<string, unknown>): Promise<{ id?: string }> {
    const answer = (await this.call('POST', this.numberPath('messages'), { json: body })) as { messages?: { id?: string }[] };
    return { id: answer?.messages?.[0]?.id };
  }

  /** Uploads media bytes; the id goes in the message (Meta keeps it 30 days). */
  async upload(media: MediaPayload): Promise<string> {
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', media.mimetype);
    form.set('file', new Blob([Buffer.from(media.dataBase64, 'base64')], { type: media.mimetype }), media.filename ?? 'file');
    const answer = (await this.call('POST', this.numberPath('media'), { form })) as { id?: string };
    if (!answer?.id) throw new CloudApiError({ transient: true, reason: 'PROVIDER_ERROR', message: 'the media upload answered without an id' }, 200);
    return answer.id;
  }

  /** Inbound media: its URL from the media id, then the bytes (with the same credentials). */
  async download(mediaId: string): Promise<MediaPayload> {
    const info = (await this.call('GET', this.account.flavour === 'meta' ? `${this.graphBase()}/${encodeURIComponent(mediaId)}` : `${this.endpoints.d360ApiUrl}/${encodeURIComponent(mediaId)}`)) as {
      url?: string;
      mime_type?: string;
    };
    if (!info?.url) throw new CloudApiError({ transient: false, reason: 'PROVIDER_ERROR', message: `media ${mediaId} has no download URL` }, 200);
    // 360dialog proxies Meta's CDN under its own host: keep the path, use its base URL.
    const url = this.account.flavour === 'd360' ? `${this.endpoints.d360ApiUrl}${new URL(info.url).pathname}${new URL(info.url).search}` : info.url;
    const res = await this.fetch('GET', url, {});
    if (!res.ok) throw new CloudApiError(classifyCloudError(res.status, await res.text().catch(() => '')), res.status);
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > this.endpoints.maxMediaBytes) throw new CloudApiError({ transient: false, reason: 'MEDIA_TOO_LARGE', message: `media ${mediaId} is ${declared} bytes` }, 200);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (bytes.length > this.endpoints.maxMediaBytes) throw new CloudApiError({ transient: false, reason: 'MEDIA_TOO_LARGE', message: `media ${mediaId} is ${bytes.length} bytes` }, 200);
    return { mimetype: info.mime_type ?? res.headers.get('content-type') ?? 'application/octet-stream', dataBase64: bytes.toString('base64') };
  }

  /** The business account's message templates, every status (callers filter APPROVED). */
  async templates(): Promise<CloudTemplate[]> {
    if (this.account.flavour === 'd360') {
      const answer = (await this.call('GET', `${this.endpoints.d360ApiUrl}/v1/configs/templates`)) as { waba_templates?: CloudTemplate[] };
      return (answer?.waba_templates ?? []).map((t) => ({ ...t, status: String(t.status).toUpperCase() }));
    }
    const answer = (await this.call('GET', `${this.graphBase()}/${this.account.wabaId}/message_templates?limit=1000`)) as { data?: CloudTemplate[] };
    return answer?.data ?? [];
  }

  /** 360dialog: where it posts this number's webhooks, and the headers it adds (our per-channel token). */
  async configureWebhook(url: string, headers: Record<string, string>): Promise<void> {
    await this.call('POST', `${this.endpoints.d360ApiUrl}/v1/configs/webhook`, { json: { url, headers } });
  }

  private graphBase(): string {
    return `${this.endpoints.graphApiUrl}/${this.account.apiVersion}`;
  }

  private numberPath(resource: 'messages' | 'media'): string {
    return this.account.flavour === 'd360' ? `${this.endpoints.d360ApiUrl}/${resource}` : `${this.graphBase()}/${this.account.phoneNumberId}/${resource}`;
  }

  private async call(method: 'GET' | 'POST', url: string, body: { json?: unknown; form?: FormData } = {}): Promise<unknown> {
    const res = await this.fetch(method, url, body);
    const text = await res.text().catch(() => '');
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: classified as is */
    }
    if (!res.ok) throw new CloudApiError(classifyCloudError(res.status, parsed, res.headers.get('retry-after')), res.status);
    return parsed;
  }

  private async fetch(method: 'GET' | 'POST', url: string, body: { json?: unknown; form?: FormData }): Promise<Response> {
    const headers: Record<string, string> = this.account.flavour === 'd360' ? { 'D360-API-KEY': this.account.apiKey ?? '' } : { authorization: `Bearer ${this.account.accessToken ?? ''}` };
    if (body.json !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(url, {
        method,
        headers,
        body: body.json !== undefined ? JSON.stringify(body.json) : body.form,
        signal: AbortSignal.timeout(this.endpoints.timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      // Refused or reset before an answer: retried. No answer by the deadline: the send may have
      // arrived, and Meta does not deduplicate, so it is not retried (at most once; POST /messages/:id/retry).
      const timedOut = (err as Error).name === 'TimeoutError';
      throw new CloudApiError({ transient: !timedOut, reason: timedOut ? 'PROVIDER_TIMEOUT' : 'PROVIDER_UNREACHABLE', message: `${method} ${new URL(url).host}: ${timedOut ? 'no answer in time' : (err as Error).message}` }, 0);
    }
  }
}
