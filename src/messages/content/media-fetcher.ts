import { Injectable } from '@nestjs/common';
import { posix } from 'node:path';
import { AppError } from '../../common/errors/app-error';
import { OutboundRequestError, SafeHttpClient } from '../../common/http/safe-http.client';
import { AppConfig } from '../../config/app-config';
import { MediaStore } from '../../media/media.store';
import { MessageErrorCode } from '../messages.errors';
import { MessageMedia } from '../message.types';
import { resolveMediaType } from './media-type';

export interface FetchedMedia extends MessageMedia {
  mediaId: string;
  mimetype: string;
  filename: string;
  size: number;
  sha256: string;
}

/** The last path segment of a URL when it looks like a file name (`/files/relatório.pdf` → `relatório.pdf`). */
export function filenameFromUrl(url: URL): string | undefined {
  let last: string;
  try {
    last = decodeURIComponent(posix.basename(url.pathname));
  } catch {
    return undefined;
  }
  return /^[^/\\\0]{1,200}\.[A-Za-z0-9]{1,8}$/.test(last) ? last : undefined;
}

/**
 * Fetches a media URL at API time (so a bad URL is the caller's immediate error, not a failed message
 * later), through the foundation's outbound client: public addresses only, no redirects, timeout,
 * size cap (MEDIA_MAX_BYTES), total deadline. The type comes from the bytes (media-type.ts); the bytes go to the MediaStore, where the
 * send worker of whichever process owns the session reads them.
 */
@Injectable()
export class MediaFetcher {
  constructor(
    private readonly http: SafeHttpClient,
    private readonly store: MediaStore,
    private readonly config: AppConfig,
  ) {}

  async fetch(clientIdentifier: string, mediaUri: string, fileName?: string): Promise<FetchedMedia> {
    const maxBytes = this.config.messages.mediaMaxBytes;
    let url: URL;
    try {
      url = this.http.assertAllowedUrl(mediaUri);
    } catch (err) {
      throw this.translate(err, mediaUri, maxBytes);
    }
    let res;
    try {
      res = await this.http.request(url.toString(), { method: 'GET', maxBytes, headers: { accept: '*/*' } });
    } catch (err) {
      throw this.translate(err, mediaUri, maxBytes);
    }
    if (res.status < 200 || res.status >= 300)
      throw AppError.unprocessable(MessageErrorCode.MEDIA_UNREACHABLE, `The media URL answered HTTP ${res.status}`, { mediaUri, status: res.status });
    if (res.body.length === 0) throw AppError.unprocessable(MessageErrorCode.MEDIA_EMPTY, 'The media URL returned no bytes', { mediaUri });
    const declared = Array.isArray(res.headers['content-type']) ? res.headers['content-type'][0] : res.headers['content-type'];
    const { mimetype, extension } = await resolveMediaType(res.body, declared, mediaUri);
    const filename = fileName?.trim() || filenameFromUrl(url) || `file.${extension}`;
    const stored = await this.store.put(clientIdentifier, res.body, { mimetype, filename });
    return { mediaId: stored.mediaId, mimetype, filename, size: stored.size, sha256: stored.sha256 };
  }

  private translate(err: unknown, mediaUri: string, maxBytes: number): unknown {
    if (!(err instanceof OutboundRequestError)) return err;
    switch (err.kind) {
      case 'INVALID_URL':
        return AppError.badRequest(MessageErrorCode.INVALID_MEDIA_URL, `mediaUri is not a usable URL: ${err.message}`, [{ field: 'mediaUri', messages: [err.message] }]);
      case 'FORBIDDEN_ADDRESS':
        return AppError.badRequest(MessageErrorCode.MEDIA_URL_FORBIDDEN, `mediaUri points at a non-public address: ${err.message}`, [{ field: 'mediaUri', messages: [err.message] }]);
      case 'TOO_LARGE':
        return new AppError(413, MessageErrorCode.MEDIA_TOO_LARGE, `The media is larger than ${maxBytes} bytes`, { mediaUri, maxBytes });
      case 'TIMEOUT':
      case 'NETWORK':
        return AppError.unprocessable(MessageErrorCode.MEDIA_UNREACHABLE, `The media URL could not be fetched: ${err.message}`, { mediaUri });
    }
  }
}
