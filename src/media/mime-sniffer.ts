/**
 * Content type from a file's bytes ("magic numbers"), through the well-kept `file-type` library
 * (several hundred formats, fuzzed; our hand-written sniffer knew 30). file-type is ESM-only; the
 * app is CommonJS on Node 24, whose `require(esm)` loads it synchronously (no dynamic import, no
 * older CommonJS fork needed). What a URL's server claims is only a hint, never the answer.
 */
import { fileTypeFromBuffer } from 'file-type';

export interface SniffedType {
  mimetype: string;
  extension: string;
}

/** The sniffed type, or undefined when the bytes match no known format (text, HTML, JSON, CSV…). */
export async function sniffMimeType(buf: Uint8Array): Promise<SniffedType | undefined> {
  if (buf.length === 0) return undefined;
  const found = await fileTypeFromBuffer(buf);
  return found ? { mimetype: found.mime, extension: found.ext } : undefined;
}

/** `type/subtype` in lower case, parameters dropped (`text/plain; charset=utf-8` → `text/plain`). */
export function essence(mimetype: string): string {
  return mimetype.split(';')[0].trim().toLowerCase();
}

const VALID_MIME = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;

/** A declared type worth reading: well formed and not the meaningless octet-stream. */
export function meaningfulDeclared(declared: string | undefined): string | undefined {
  const claimed = declared ? essence(declared) : '';
  return VALID_MIME.test(claimed) && claimed !== 'application/octet-stream' ? claimed : undefined;
}

/** Formats without a signature (text) that file-type cannot see: their usual extensions. */
const TEXT_EXTENSIONS: Record<string, string> = {
  'text/plain': 'txt',
  'text/csv': 'csv',
  'text/html': 'html',
  'application/json': 'json',
  'text/calendar': 'ics',
  'text/vcard': 'vcf',
  'text/markdown': 'md',
};

/** A usual file extension for a type without a signature (`txt`), or `bin`. */
export function extensionFor(mimetype: string): string {
  return TEXT_EXTENSIONS[essence(mimetype)] ?? 'bin';
}
