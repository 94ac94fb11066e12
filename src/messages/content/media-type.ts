import { AppError } from '../../common/errors/app-error';
import { essence, extensionFor, meaningfulDeclared, sniffMimeType } from '../../media/mime-sniffer';
import { MessageErrorCode } from '../messages.errors';

type Family = 'image' | 'av' | 'other';

/** Audio and video share containers (MP4, Ogg, WebM, 3GP): a sniffer cannot always tell them apart. */
function family(mimetype: string): Family {
  const top = essence(mimetype).split('/')[0];
  if (top === 'image') return 'image';
  if (top === 'audio' || top === 'video') return 'av';
  return 'other';
}

export interface MediaType {
  mimetype: string;
  /** Usual file extension, for a file name when the caller gave none. */
  extension: string;
}

/**
 * The type media is sent as, decided by its bytes:
 * - bytes of a known format: that format, whatever the server declared (a PDF served as
 *   `image/png` goes as a PDF document: sending what the bytes are surprises nobody);
 * - bytes of no known format (text, HTML, garbage): a document at most, typed by the declared
 *   type when that is not an image/audio/video type, else `application/octet-stream`;
 * - bytes of no known format declared as image/audio/video (HTML served as `image/png`): nothing
 *   backs the claim, so 422 MEDIA_TYPE_MISMATCH rather than a document the sender did not mean.
 */
export async function resolveMediaType(data: Buffer, declaredHeader: string | undefined, mediaUri: string): Promise<MediaType> {
  const sniffed = await sniffMimeType(data);
  const declared = meaningfulDeclared(declaredHeader);
  const claims = declared ? family(declared) : 'other';
  if (claims !== 'other' && !sniffed)
    throw AppError.unprocessable(
      MessageErrorCode.MEDIA_TYPE_MISMATCH,
      `The media URL declares ${declared} but its bytes are not a known ${claims === 'image' ? 'image' : 'audio or video'} format`,
      { mediaUri, declared },
    );
  if (sniffed) {
    // An audio track in an MP4/WebM/Ogg container sniffs as video: the declared audio type is the finer answer.
    if (declared && declared.startsWith('audio/') && sniffed.mimetype.startsWith('video/')) return { mimetype: declared, extension: sniffed.extension };
    return sniffed;
  }
  const type = declared ?? 'application/octet-stream';
  return { mimetype: type, extension: extensionFor(type) };
}
