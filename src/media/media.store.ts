import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { MediaLinkSigner } from './media-link';
import { MediaFileRecord, MediaRepository } from './media.repository';

/** Signed media links live a day unless the caller asks otherwise. */
export const DEFAULT_MEDIA_LINK_TTL_SECONDS = 24 * 60 * 60;

export interface StoredMedia {
  data: Buffer;
  mimetype: string;
  filename?: string;
}

/**
 * Media bytes of an account, chunked in MongoDB so every server process reads what any other wrote
 * (outbound media fetched by the API process is sent by the process owning the WhatsApp session).
 */
@Injectable()
export class MediaStore {
  private readonly signer: MediaLinkSigner;

  constructor(
    private readonly repository: MediaRepository,
    private readonly config: AppConfig,
  ) {
    this.signer = new MediaLinkSigner(config.security.linkSigningSecret);
  }

  async put(clientIdentifier: string, data: Buffer, meta: { mimetype: string; filename?: string }): Promise<{ mediaId: string; size: number; sha256: string }> {
    const sha256 = createHash('sha256').update(data).digest('hex');
    const file = await this.repository.insert(clientIdentifier, data, { mimetype: meta.mimetype, filename: meta.filename, sha256 });
    return { mediaId: file.id, size: file.size, sha256 };
  }

  async get(clientIdentifier: string, mediaId: string): Promise<StoredMedia | undefined> {
    const file = await this.repository.findFile(clientIdentifier, mediaId);
    return file ? this.read(file) : undefined;
  }

  /** Expiring HMAC-signed URL served publicly at `GET /media/:mediaId?exp=…&sig=…`. */
  signedUrl(_clientIdentifier: string, mediaId: string, ttlSeconds = DEFAULT_MEDIA_LINK_TTL_SECONDS): string {
    const exp = Math.floor(Date.now() / 1000) + Math.max(1, Math.floor(ttlSeconds));
    const sig = this.signer.sign(mediaId, exp);
    return `${this.config.http.publicBaseUrl}/media/${mediaId}?exp=${exp}&sig=${sig}`;
  }

  /** For the public route: checks the link, then loads the file whatever its account. */
  async getBySignedLink(mediaId: string, exp: unknown, sig: unknown): Promise<{ verdict: 'ok'; media: StoredMedia; exp: number } | { verdict: 'invalid' | 'expired' | 'missing' }> {
    const verdict = this.signer.verify(mediaId, exp, sig);
    if (verdict !== 'ok') return { verdict };
    const file = await this.repository.findFileForSignedLink(mediaId);
    if (!file) return { verdict: 'missing' };
    return { verdict: 'ok', media: await this.read(file), exp: Number(exp) };
  }

  private async read(file: MediaFileRecord): Promise<StoredMedia> {
    return { data: await this.repository.readBytes(file), mimetype: file.mimetype, filename: file.filename };
  }
}
