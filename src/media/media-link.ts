import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Expiring signed media links: `sig = base64url(HMAC-SHA256(key, "media.v1:<mediaId>:<exp>"))`, the key
 * derived from LINK_SIGNING_SECRET so a media signature can never be replayed as another kind of link.
 */
export class MediaLinkSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('omnichannel/media-link').digest();
  }

  sign(mediaId: string, exp: number): string {
    return createHmac('sha256', this.key).update(`media.v1:${mediaId}:${exp}`).digest('base64url');
  }

  /** 'ok', 'invalid' (bad or missing signature) or 'expired' (good signature, past `exp`). */
  verify(mediaId: string, exp: unknown, sig: unknown, nowSeconds = Math.floor(Date.now() / 1000)): 'ok' | 'invalid' | 'expired' {
    if (typeof exp !== 'string' || !/^\d{1,12}$/.test(exp) || typeof sig !== 'string') return 'invalid';
    const expected = Buffer.from(this.sign(mediaId, Number(exp)));
    const given = Buffer.from(sig);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
    return Number(exp) < nowSeconds ? 'expired' : 'ok';
  }
}
