import { essence, extensionFor, meaningfulDeclared, sniffMimeType } from './mime-sniffer';

const bytes = (...parts: (number[] | string | Buffer)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const ogg = (codec: string) => {
  const page = Buffer.alloc(64);
  page.write('OggS', 0, 'latin1');
  page[5] = 2;
  page.write(codec, 28, 'latin1');
  return page;
};

describe('sniffMimeType (file-type)', () => {
  it.each([
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 16], 'JFIF', Buffer.alloc(20)), 'image/jpeg', 'jpg'],
    ['png', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'IHDR', Buffer.alloc(20)), 'image/png', 'png'],
    ['webp', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 ', Buffer.alloc(20)), 'image/webp', 'webp'],
    ['mp4', bytes([0, 0, 0, 0x18], 'ftypisom', [0, 0, 2, 0], 'isomiso2', Buffer.alloc(20)), 'video/mp4', 'mp4'],
    ['m4a', bytes([0, 0, 0, 0x18], 'ftypM4A ', [0, 0, 2, 0], 'M4A isom', Buffer.alloc(20)), 'audio/x-m4a', 'm4a'],
    ['ogg opus', ogg('OpusHead'), 'audio/ogg; codecs=opus', 'opus'],
    ['pdf', bytes('%PDF-1.7\n', Buffer.alloc(20)), 'application/pdf', 'pdf'],
  ])('recognises %s', async (_name, data, mimetype, extension) => {
    expect(await sniffMimeType(data)).toEqual({ mimetype, extension });
  });

  it('does not guess from text, HTML or empty input', async () => {
    expect(await sniffMimeType(Buffer.from('hello world'))).toBeUndefined();
    expect(await sniffMimeType(Buffer.from('<!doctype html><html><body>hi</body></html>'))).toBeUndefined();
    expect(await sniffMimeType(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('declared types', () => {
  it('reads only well-formed, meaningful declared types', () => {
    expect(meaningfulDeclared('Text/CSV; charset=utf-8')).toBe('text/csv');
    expect(meaningfulDeclared('application/octet-stream')).toBeUndefined();
    expect(meaningfulDeclared('not a type')).toBeUndefined();
    expect(meaningfulDeclared(undefined)).toBeUndefined();
  });
  it('names extensions and essences', () => {
    expect(essence('Audio/OGG; codecs=opus')).toBe('audio/ogg');
    expect(extensionFor('text/csv')).toBe('csv');
    expect(extensionFor('application/x-unknown')).toBe('bin');
  });
});
