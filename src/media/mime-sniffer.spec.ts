import { detectMimeType, essence, extensionFor, sniffMimeType } from './mime-sniffer';

const bytes = (...parts: (number[] | string)[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('sniffMimeType', () => {
  it.each([
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'), 'image/jpeg'],
    ['png', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'IHDR'), 'image/png'],
    ['gif', bytes('GIF89a....'), 'image/gif'],
    ['webp', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '), 'image/webp'],
    ['wav', bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt '), 'audio/wav'],
    ['mp4', bytes([0, 0, 0, 0x18], 'ftypisom', [0, 0, 2, 0]), 'video/mp4'],
    ['m4a', bytes([0, 0, 0, 0x18], 'ftypM4A ', [0, 0, 2, 0]), 'audio/mp4'],
    ['3gp', bytes([0, 0, 0, 0x18], 'ftyp3gp5', [0, 0, 2, 0]), 'video/3gpp'],
    ['webm', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81], '....webm'), 'video/webm'],
    ['ogg opus', bytes('OggS', [0, 2, 0, 0, 0, 0, 0, 0, 0, 0], 'xxxxOpusHead'), 'audio/ogg; codecs=opus'],
    ['ogg vorbis', bytes('OggS', [0, 2], '....vorbis'), 'audio/ogg'],
    ['mp3 id3', bytes('ID3', [4, 0, 0]), 'audio/mpeg'],
    ['mp3 frame', bytes([0xff, 0xfb, 0x90, 0x64]), 'audio/mpeg'],
    ['aac adts', bytes([0xff, 0xf1, 0x50, 0x80]), 'audio/aac'],
    ['amr', bytes('#!AMR\n'), 'audio/amr'],
    ['pdf', bytes('%PDF-1.7\n'), 'application/pdf'],
    ['docx', bytes([0x50, 0x4b, 0x03, 0x04], '....[Content_Types].xml....word/document.xml'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['zip', bytes([0x50, 0x4b, 0x03, 0x04], '....data.txt'), 'application/zip'],
  ])('recognises %s', (_name, data, expected) => {
    expect(sniffMimeType(data)).toBe(expected);
  });

  it('does not guess from text or empty input', () => {
    expect(sniffMimeType(Buffer.from('hello world'))).toBeUndefined();
    expect(sniffMimeType(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('detectMimeType', () => {
  it('trusts the bytes over the declared type', () => {
    expect(detectMimeType(bytes('%PDF-1.4'), 'image/png')).toBe('application/pdf');
  });
  it('falls back to a well-formed declared type, then octet-stream', () => {
    expect(detectMimeType(Buffer.from('a,b\n1,2'), 'text/csv; charset=utf-8')).toBe('text/csv');
    expect(detectMimeType(Buffer.from('??'), 'application/octet-stream')).toBe('application/octet-stream');
    expect(detectMimeType(Buffer.from('??'), 'not a type')).toBe('application/octet-stream');
    expect(detectMimeType(Buffer.from('??'))).toBe('application/octet-stream');
  });
  it('names extensions and essences', () => {
    expect(essence('Audio/OGG; codecs=opus')).toBe('audio/ogg');
    expect(extensionFor('audio/ogg; codecs=opus')).toBe('ogg');
    expect(extensionFor('application/x-unknown')).toBe('bin');
  });
});
