import { Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import { AppConfig } from '../../config/app-config';
import { forbiddenAddressReason, isAllowlistedHost } from './address-policy';

export type OutboundErrorKind = 'FORBIDDEN_ADDRESS' | 'INVALID_URL' | 'TIMEOUT' | 'TOO_LARGE' | 'NETWORK';

export class OutboundRequestError extends Error {
  constructor(readonly kind: OutboundErrorKind, message: string) {
    super(message);
    this.name = 'OutboundRequestError';
  }
}

export interface OutboundRequest {
  method?: 'GET' | 'POST' | 'HEAD';
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  maxBytes?: number;
}

export interface OutboundResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Milliseconds from the request to the last byte. */
  durationMs: number;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** How host names become addresses; swappable so tests can simulate any DNS answer. */
export abstract class DnsResolver {
  abstract lookupAll(hostname: string, family?: number): Promise<LookupAddress[]>;
}

export class SystemDnsResolver extends DnsResolver {
  lookupAll(hostname: string, family?: number): Promise<LookupAddress[]> {
    return new Promise((resolve, reject) =>
      dnsLookup(hostname, { all: true, family: family ?? 0 }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
    );
  }
}

/**
 * The address check runs inside the socket's DNS lookup, so the address judged is the
 * address connected to: a name that re-resolves to 127.0.0.1 after validation (DNS
 * rebinding) is still refused. Every answer must be public, not just the first.
 */
export function guardedLookup(resolver: DnsResolver) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolver
      .lookupAll(hostname, typeof options.family === 'number' ? options.family : undefined)
      .then((list) => {
        if (list.length === 0) throw new OutboundRequestError('NETWORK', `${hostname} has no address`);
        for (const a of list) {
          const reason = forbiddenAddressReason(a.address);
          if (reason) throw new OutboundRequestError('FORBIDDEN_ADDRESS', `${hostname} resolves to a ${reason} address`);
        }
        if (options.all) callback(null, list);
        else callback(null, list[0].address, list[0].family);
      })
      .catch((err: NodeJS.ErrnoException) => callback(err, ''));
  };
}

/**
 * HTTP client for user-supplied URLs (webhook callbacks, media). Refuses non-public
 * addresses unless the host is allowlisted in config, follows no redirects, enforces a
 * timeout and a response size cap. Uses node:http with keep-alive agents (much faster
 * than global fetch for webhook fan-out).
 */
@Injectable()
export class SafeHttpClient implements OnModuleDestroy {
  private readonly guarded: { http: http.Agent; https: https.Agent };
  private readonly open = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
  };

  constructor(
    private readonly config: AppConfig,
    @Optional() resolver?: DnsResolver,
  ) {
    const lookup = guardedLookup(resolver ?? new SystemDnsResolver()) as never;
    this.guarded = {
      http: new http.Agent({ keepAlive: true, lookup }),
      https: new https.Agent({ keepAlive: true, lookup }),
    };
  }

  onModuleDestroy(): void {
    for (const agent of [this.guarded.http, this.guarded.https, this.open.http, this.open.https]) agent.destroy();
  }

  /** Throws OutboundRequestError('INVALID_URL' | 'FORBIDDEN_ADDRESS') for a URL that may never be called. */
  assertAllowedUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new OutboundRequestError('INVALID_URL', 'not a valid URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new OutboundRequestError('INVALID_URL', 'only http and https URLs are allowed');
    if (url.username || url.password) throw new OutboundRequestError('INVALID_URL', 'URLs with credentials are not allowed');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!isAllowlistedHost(host, this.config.outbound.allowedHosts)) {
      if (host === 'localhost' || host.endsWith('.localhost'))
        throw new OutboundRequestError('FORBIDDEN_ADDRESS', `${host} is a loopback name`);
      // Literal IPs skip DNS, so the socket lookup never sees them: judge them here.
      if (isIP(host) !== 0) {
        const reason = forbiddenAddressReason(host);
        if (reason) throw new OutboundRequestError('FORBIDDEN_ADDRESS', `${host} is a ${reason} address`);
      }
    }
    return url;
  }

  async request(rawUrl: string, req: OutboundRequest = {}): Promise<OutboundResponse> {
    const url = this.assertAllowedUrl(rawUrl);
    const secure = url.protocol === 'https:';
    const allow = isAllowlistedHost(url.hostname, this.config.outbound.allowedHosts);
    const agents = allow ? this.open : this.guarded;
    const agent = secure ? agents.https : agents.http;
    const timeoutMs = req.timeoutMs ?? this.config.outbound.timeoutMs;
    const maxBytes = req.maxBytes ?? this.config.outbound.maxBytes;
    const started = performance.now();

    return new Promise<OutboundResponse>((resolve, reject) => {
      let settled = false;
      // One deadline for the whole exchange (DNS, connect, headers and every body byte), not an
      // idle timer: a server that drips a byte a second is cut here like one that never answers.
      const deadline = setTimeout(() => {
        fail(new OutboundRequestError('TIMEOUT', `not complete within ${timeoutMs} ms`));
        r.destroy();
      }, timeoutMs);
      const fail = (err: OutboundRequestError) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        reject(err);
      };
      const succeed = (value: OutboundResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve(value);
      };
      const transport = secure ? https : http;
      const headers: Record<string, string | number> = { 'user-agent': 'omnichannel-server', ...req.headers };
      if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
      const r = transport.request(url, { method: req.method ?? 'GET', headers, agent }, (res) => {
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > maxBytes) {
          res.destroy();
          return fail(new OutboundRequestError('TOO_LARGE', `response is ${declared} bytes, over the ${maxBytes} byte limit`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            res.destroy();
            fail(new OutboundRequestError('TOO_LARGE', `response is over the ${maxBytes} byte limit`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          succeed({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), durationMs: performance.now() - started }),
        );
        res.on('error', (err) => fail(new OutboundRequestError('NETWORK', err.message)));
        // A destroyed response (deadline, size cap) may close without 'end' or 'error'.
        res.on('close', () => fail(new OutboundRequestError('NETWORK', 'connection closed before the response ended')));
      });
      r.on('error', (err) => fail(err instanceof OutboundRequestError ? err : new OutboundRequestError('NETWORK', err.message)));
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
  }
}
