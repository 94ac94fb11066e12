import { Controller, Get, HttpStatus, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ApiOkContent } from '../openapi/api-responses';
import type { Response } from 'express';
import { Public } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { AppError } from '../common/errors/app-error';
import { MediaErrorCode } from './media.errors';
import { MediaStore } from './media.store';

/** RFC 5987 filename for Content-Disposition, safe for any characters. */
function disposition(filename: string | undefined): string {
  if (!filename) return 'inline';
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

@ApiTags('Media')
@Controller('media')
export class MediaController {
  constructor(private readonly store: MediaStore) {}

  @Get(':mediaId')
  @Public()
  @ApiOperation({
    summary: 'Download stored media through a signed, expiring link',
    description: 'Links come from the API (e.g. webhook payloads). No API key: the signature is the authorisation.',
  })
  @ApiQuery({ name: 'exp', description: 'Expiry, Unix seconds' })
  @ApiQuery({ name: 'sig', description: 'HMAC-SHA256 signature, base64url' })
  @ApiOkContent('application/octet-stream', 'The bytes, with their own Content-Type')
  @ApiErrors('MEDIA_LINK_INVALID', 'MEDIA_NOT_FOUND', 'MEDIA_LINK_EXPIRED')
  async download(@Param('mediaId') mediaId: string, @Query('exp') exp: unknown, @Query('sig') sig: unknown, @Res() res: Response): Promise<void> {
    const found = await this.store.getBySignedLink(mediaId, exp, sig);
    if (found.verdict === 'invalid') throw AppError.forbidden(MediaErrorCode.MEDIA_LINK_INVALID, 'The media link signature is not valid');
    if (found.verdict === 'expired') throw new AppError(HttpStatus.GONE, MediaErrorCode.MEDIA_LINK_EXPIRED, 'The media link has expired');
    if (found.verdict !== 'ok') throw AppError.notFound(MediaErrorCode.MEDIA_NOT_FOUND, `Media ${mediaId} not found`);
    const { media } = found;
    const maxAge = Math.max(0, found.exp - Math.floor(Date.now() / 1000));
    res.status(200);
    res.setHeader('content-type', media.mimetype);
    res.setHeader('content-length', String(media.data.length));
    res.setHeader('content-disposition', disposition(media.filename));
    res.setHeader('cache-control', `private, max-age=${maxAge}`);
    res.setHeader('x-content-type-options', 'nosniff');
    // Stored bytes come from strangers: never let a browser run them as a page of ours.
    res.setHeader('content-security-policy', "default-src 'none'; sandbox");
    res.end(media.data);
  }
}
