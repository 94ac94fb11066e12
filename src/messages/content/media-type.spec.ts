import { AppError } from '../../common/errors/app-error';
import { mediaKindFor } from './media-kind';
import { resolveMediaType } from './media-type';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR'), Buffer.alloc(20)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(20)]);
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2'), Buffer.alloc(20)]);
const HTML = Buffer.from('<!doctype html><html><body>not an image</body></html>');

const resolve = (data: Buffer, declared?: string) => resolveMediaType(data, declared, 'https://files.example/x');
const codeOf = async (p: Promise<unknown>) => p.then(() => undefined, (err: AppError) => `${err.status} ${err.code}`);

describe('resolveMediaType', () => {
  it('goes by the bytes when they are a known format', async () => {
    expect(await resolve(PNG, 'image/jpeg')).toEqual({ mimetype: 'image/png', extension: 'png' });
    expect(await resolve(PDF, 'application/octet-stream')).toEqual({ mimetype: 'application/pdf', extension: 'pdf' });
    expect(await resolve(PNG)).toEqual({ mimetype: 'image/png', extension: 'png' });
    // A PDF served as image/png or video/mp4 is still a PDF (a document).
    expect(await resolve(PDF, 'image/png')).toEqual({ mimetype: 'application/pdf', extension: 'pdf' });
    expect(await resolve(PDF, 'video/mp4')).toEqual({ mimetype: 'application/pdf', extension: 'pdf' });
  });

  it('keeps a declared audio type for an MP4 container (audio and video share it)', async () => {
    expect(await resolve(MP4, 'audio/mp4')).toEqual({ mimetype: 'audio/mp4', extension: 'mp4' });
  });

  it('sends unknown bytes as a document at most, never as image/audio/video', async () => {
    for (const declared of [undefined, 'application/octet-stream', 'text/csv', 'text/html']) {
      const { mimetype } = await resolve(HTML, declared);
      expect(mediaKindFor(mimetype).kind).toBe('document');
    }
    expect(await resolve(Buffer.from('a,b\n1,2'), 'text/csv; charset=utf-8')).toEqual({ mimetype: 'text/csv', extension: 'csv' });
    expect(await resolve(Buffer.from('??'))).toEqual({ mimetype: 'application/octet-stream', extension: 'bin' });
  });

  it('refuses a declared image/audio/video type that no recognised bytes back (422 MEDIA_TYPE_MISMATCH)', async () => {
    expect(await codeOf(resolve(HTML, 'image/png'))).toBe('422 MEDIA_TYPE_MISMATCH');
    expect(await codeOf(resolve(HTML, 'image/webp'))).toBe('422 MEDIA_TYPE_MISMATCH');
    expect(await codeOf(resolve(HTML, 'audio/ogg'))).toBe('422 MEDIA_TYPE_MISMATCH');
    expect(await codeOf(resolve(Buffer.from('garbage'), 'video/mp4'))).toBe('422 MEDIA_TYPE_MISMATCH');
  });
});
