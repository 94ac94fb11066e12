/**
 * Content type from the first bytes of a file ("magic numbers"). What a URL's server claims is
 * only a fallback: media kinds are chosen from what the bytes are.
 */

const ascii = (buf: Buffer, start: number, end: number) => buf.subarray(start, end).toString('latin1');
const startsWith = (buf: Buffer, bytes: number[], offset = 0) => buf.length >= offset + bytes.length && bytes.every((b, i) => buf[offset + i] === b);

/** ISO base media (MP4, MOV, 3GP, M4A, HEIC): the `ftyp` box and its major brand. */
function isoMedia(buf: Buffer): string | undefined {
  if (buf.length < 12 || ascii(buf, 4, 8) !== 'ftyp') return undefined;
  const brand = ascii(buf, 8, 12).trim();
  if (brand === 'M4A' || brand === 'M4B') return 'audio/mp4';
  if (brand.startsWith('3g')) return 'video/3gpp';
  if (brand === 'qt') return 'video/quicktime';
  if (brand === 'heic' || brand === 'heix' || brand === 'mif1') return 'image/heic';
  if (brand === 'avif') return 'image/avif';
  return 'video/mp4';
}

/** Ogg carries Opus (WhatsApp voice notes), Vorbis or Theora. */
function ogg(buf: Buffer): string {
  const head = ascii(buf, 0, Math.min(buf.length, 128));
  if (head.includes('OpusHead')) return 'audio/ogg; codecs=opus';
  if (head.includes('theora')) return 'video/ogg';
  return 'audio/ogg';
}

/** ZIP containers: Office files by their first entry's name, else a plain zip. */
function zip(buf: Buffer): string {
  const head = ascii(buf, 0, Math.min(buf.length, 2048));
  if (head.includes('word/')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (head.includes('xl/')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (head.includes('ppt/')) return 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
  if (head.includes('mimetypeapplication/vnd.oasis.opendocument.text')) return 'application/vnd.oasis.opendocument.text';
  if (head.includes('mimetypeapplication/epub+zip')) return 'application/epub+zip';
  return 'application/zip';
}

/** The sniffed content type, or undefined when the bytes are not recognised. */
export function sniffMimeType(buf: Buffer): string | undefined {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii(buf, 0, 6) === 'GIF87a' || ascii(buf, 0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(buf, 0, 4) === 'RIFF' && buf.length >= 12) {
    const form = ascii(buf, 8, 12);
    if (form === 'WEBP') return 'image/webp';
    if (form === 'WAVE') return 'audio/wav';
    if (form === 'AVI ') return 'video/x-msvideo';
  }
  if (startsWith(buf, [0x42, 0x4d]) && buf.length > 26 && buf.readUInt32LE(2) >= 26) return 'image/bmp';
  if (startsWith(buf, [0x49, 0x49, 0x2a, 0x00]) || startsWith(buf, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  const iso = isoMedia(buf);
  if (iso) return iso;
  if (startsWith(buf, [0x1a, 0x45, 0xdf, 0xa3])) return ascii(buf, 0, 64).includes('webm') ? 'video/webm' : 'video/x-matroska';
  if (ascii(buf, 0, 4) === 'OggS') return ogg(buf);
  if (ascii(buf, 0, 3) === 'ID3' || (buf.length > 1 && buf[0] === 0xff && (buf[1] & 0xe6) === 0xe2)) return 'audio/mpeg';
  if (buf.length > 1 && buf[0] === 0xff && (buf[1] & 0xf6) === 0xf0) return 'audio/aac';
  if (ascii(buf, 0, 6) === '#!AMR\n') return 'audio/amr';
  if (ascii(buf, 0, 4) === 'fLaC') return 'audio/flac';
  if (ascii(buf, 0, 5) === '%PDF-') return 'application/pdf';
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) return zip(buf);
  if (startsWith(buf, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'application/msword';
  if (startsWith(buf, [0x1f, 0x8b])) return 'application/gzip';
  if (ascii(buf, 0, 4) === 'Rar!') return 'application/vnd.rar';
  if (startsWith(buf, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return 'application/x-7z-compressed';
  return undefined;
}

/** `type/subtype` in lower case, parameters dropped (`text/plain; charset=utf-8` → `text/plain`). */
export function essence(mimetype: string): string {
  return mimetype.split(';')[0].trim().toLowerCase();
}

const VALID_MIME = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;

/**
 * The type to trust: sniffed bytes first, then the server's Content-Type when it is well formed and
 * not the meaningless octet-stream, then octet-stream.
 */
export function detectMimeType(data: Buffer, declared?: string): string {
  const sniffed = sniffMimeType(data);
  if (sniffed) return sniffed;
  const claimed = declared ? essence(declared) : '';
  if (VALID_MIME.test(claimed) && claimed !== 'application/octet-stream') return claimed;
  return 'application/octet-stream';
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/gif': 'gif', 'image/webp': 'webp', 'image/bmp': 'bmp',
  'image/tiff': 'tiff', 'image/heic': 'heic', 'image/avif': 'avif', 'video/mp4': 'mp4', 'video/3gpp': '3gp',
  'video/quicktime': 'mov', 'video/webm': 'webm', 'video/x-matroska': 'mkv', 'video/x-msvideo': 'avi',
  'video/ogg': 'ogv', 'audio/mp4': 'm4a', 'audio/ogg': 'ogg', 'audio/mpeg': 'mp3', 'audio/aac': 'aac',
  'audio/amr': 'amr', 'audio/flac': 'flac', 'audio/wav': 'wav', 'application/pdf': 'pdf', 'application/zip': 'zip',
  'application/msword': 'doc', 'application/gzip': 'gz', 'text/plain': 'txt', 'text/csv': 'csv',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
};

/** A usual file extension for a type (`pdf`), or `bin`. */
export function extensionFor(mimetype: string): string {
  return EXTENSIONS[essence(mimetype)] ?? 'bin';
}
