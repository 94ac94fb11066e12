import { randomBytes, randomInt } from 'node:crypto';

/**
 * Realistic identifiers: Meta's message ids are `wamid.` followed by a base64 protobuf-like blob that
 * embeds the recipient; media ids are 15-16 digit numbers.
 */
export function newWamid(recipient: string): string {
  const blob = Buffer.concat([
    Buffer.from([0x48, 0x42, 0x67]),
    Buffer.from(`L${recipient}`, 'utf8'),
    Buffer.from([0x15, 0x02, 0x00, 0x11, 0x18, 0x12]),
    Buffer.from(randomBytes(9).toString('hex').toUpperCase(), 'utf8'),
    Buffer.from([0x00]),
  ]);
  return `wamid.${blob.toString('base64')}`;
}

export function newNumericId(digits = 16): string {
  let id = String(randomInt(1, 10));
  while (id.length < digits) id += String(randomInt(0, 10));
  return id;
}
