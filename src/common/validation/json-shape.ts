import { AppError, CommonErrorCode } from '../errors/app-error';

/** Deepest nesting of objects/arrays a request body may have. The deepest DTO today is 4 levels. */
export const MAX_JSON_DEPTH = 32;
/** Most values (object members plus array elements, at every level) a request body may hold. */
export const MAX_JSON_VALUES = 10_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b; // {
const OPEN_ARRAY = 0x5b; // [
const CLOSE_OBJECT = 0x7d; // }
const CLOSE_ARRAY = 0x5d; // ]

/**
 * Measures a JSON text's nesting depth and value count in one pass over its raw bytes, before
 * JSON.parse builds anything and before any recursive walk (operator check, class-transformer)
 * could overflow the stack. Never recursive, allocation-free, linear in the body size (bounded by
 * BODY_LIMIT), so an unauthenticated caller gets a cheap 400. Malformed JSON is left to the parser.
 */
export function measureJson(buf: Uint8Array): { depth: number; values: number } {
  let depth = 0;
  let maxDepth = 0;
  let values = 0;
  const n = buf.length;
  for (let i = 0; i < n; i++) {
    const c = buf[i];
    if (c === QUOTE) {
      // Jump to the closing quote (native search; strings are most of a body's bytes): the next
      // quote not escaped by an odd run of backslashes. Unterminated: the parser refuses it.
      let end = i;
      for (;;) {
        end = buf.indexOf(QUOTE, end + 1);
        if (end < 0) return { depth: maxDepth, values };
        let slashes = 0;
        while (buf[end - 1 - slashes] === BACKSLASH) slashes++;
        if (slashes % 2 === 0) break;
      }
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++;
      values++;
      if (depth > maxDepth) maxDepth = depth;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
    else if (c === COMMA) values++;
  }
  return { depth: maxDepth, values };
}

/** Throws 400 PAYLOAD_TOO_DEEP / PAYLOAD_TOO_COMPLEX; shaped for body-parser's `verify` hook. */
export function assertJsonShape(buf: Uint8Array): void {
  const { depth, values } = measureJson(buf);
  if (depth > MAX_JSON_DEPTH)
    throw AppError.badRequest(CommonErrorCode.PAYLOAD_TOO_DEEP, `Request body nests deeper than ${MAX_JSON_DEPTH} levels`, {
      maxDepth: MAX_JSON_DEPTH,
    });
  if (values > MAX_JSON_VALUES)
    throw AppError.badRequest(CommonErrorCode.PAYLOAD_TOO_COMPLEX, `Request body holds more than ${MAX_JSON_VALUES} values`, {
      maxValues: MAX_JSON_VALUES,
    });
}
