/** A contact card as the API takes it. */
export interface ContactCard {
  name: string;
  /** Phone number, digits with country code (5521999999999); `+` and punctuation are tolerated. */
  phone: string;
  organization?: string;
  email?: string;
}

/** RFC 2426 text escaping: backslash, comma, semicolon and newlines. */
function esc(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;').replace(/\r?\n/g, '\\n');
}

/**
 * A vCard 3.0 as WhatsApp writes them: `waid` on the phone line makes the card's "Message" button
 * open a chat with that number.
 */
export function buildVcard(card: ContactCard): string {
  const digits = card.phone.replace(/\D/g, '');
  const lines = ['BEGIN:VCARD', 'VERSION:3.0', `N:;${esc(card.name)};;;`, `FN:${esc(card.name)}`];
  if (card.organization) lines.push(`ORG:${esc(card.organization)};`);
  if (card.email) lines.push(`EMAIL;type=INTERNET:${esc(card.email)}`);
  lines.push(`TEL;type=CELL;type=VOICE;waid=${digits}:+${digits}`, 'END:VCARD');
  return lines.join('\n');
}
