import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { AppError } from '../common/errors/app-error';
import { ContactErrorCode } from './contacts.errors';

export type ContactType = 'individual' | 'group';
export const CONTACT_TYPES: readonly ContactType[] = ['individual', 'group'];

/** Country assumed for a number written without its country code (documented in docs/channels-contacts-tags.md). */
export const DEFAULT_PHONE_COUNTRY = 'BR';

const GROUP_ID = /^\d{5,40}(-\d{5,20})?$/;
const LID = /^\d{5,30}@lid$/;
/** What people type around numbers: spaces, dashes, dots, parentheses. */
const PHONE_PUNCTUATION = /[\s\-.()/]/g;

function invalidPhone(raw: string, why: string, field = 'contactIdentifier'): AppError {
  return AppError.badRequest(ContactErrorCode.INVALID_PHONE_NUMBER, `"${raw}" is not a valid phone number: ${why}`, [
    { field, messages: [why] },
  ]);
}

/**
 * Brazilian mobiles gained a ninth digit (a leading 9) in 2012-2016, but WhatsApp still knows
 * many older accounts by the eight-digit form (`55 21 9999-9999`). Both are the same person,
 * so the canonical form always has the ninth digit. Mobiles start with 6-9; landlines with 2-5
 * and keep eight digits.
 */
function withBrazilianNinthDigit(e164Digits: string): string {
  if (e164Digits.length === 12 && e164Digits.startsWith('55') && /[6-9]/.test(e164Digits[4]))
    return `${e164Digits.slice(0, 4)}9${e164Digits.slice(4)}`;
  return e164Digits;
}

function validE164(digits: string): string | undefined {
  const canonical = withBrazilianNinthDigit(digits);
  const parsed = parsePhoneNumberFromString(`+${canonical}`);
  return parsed?.isValid() ? parsed.number.slice(1) : undefined;
}

/** A Brazilian national number: two-digit area code (DDD) then 8 digits, or 9 digits for mobiles. */
const BR_NATIONAL = /^[1-9][1-9](9\d{8}|[2-9]\d{7})$/;

/**
 * A phone number as digits with the country code (`5521999999999`).
 * - `+…`, `00…` and WhatsApp ids (`…@c.us`) are international.
 * - Bare digits that form a Brazilian national number (DDD + 8 or 9 digits, 10 or 11 digits in all,
 *   optionally after the trunk prefix 0) are Brazilian (DEFAULT_PHONE_COUNTRY): `21999999999` and
 *   `021999999999` are Rio, not +219…
 * - Other bare digits are international without the `+` (`14155552671`, `552199999999`).
 * Then Brazilian mobiles get their ninth digit and the result must be a valid number.
 */
export function normalizePhoneNumber(raw: string, field = 'contactIdentifier'): string {
  const trimmed = raw.trim();
  const whatsappId = /@(c\.us|s\.whatsapp\.net)$/.test(trimmed);
  const compact = trimmed.replace(/@(c\.us|s\.whatsapp\.net)$/, '').replace(PHONE_PUNCTUATION, '');
  if (!/^(\+|00)?\d+$/.test(compact)) throw invalidPhone(raw, 'only digits, spaces, dashes, dots, parentheses and a leading + are allowed', field);
  const nationalDigits = /^0[1-9]/.test(compact) ? compact.slice(1) : compact;
  let international: string | undefined;
  if (compact.startsWith('+')) international = compact.slice(1);
  else if (compact.startsWith('00')) international = compact.slice(2);
  else if (whatsappId || !BR_NATIONAL.test(nationalDigits)) international = compact;
  else {
    const national = parsePhoneNumberFromString(nationalDigits, DEFAULT_PHONE_COUNTRY);
    const asNational = national ? validE164(national.number.slice(1)) : undefined;
    if (asNational) return asNational;
    international = compact;
  }
  const e164 = validE164(international);
  if (!e164) throw invalidPhone(raw, 'not a valid number (use the international form, e.g. 5521999999999)', field);
  return e164;
}

/** A WhatsApp group id, always with its `@g.us` suffix (`120363012345678901@g.us`, `5521999999999-1612345678@g.us`). */
export function normalizeGroupId(raw: string): string {
  const id = raw.trim().replace(/@g\.us$/, '');
  if (!GROUP_ID.test(id))
    throw AppError.badRequest(ContactErrorCode.INVALID_GROUP_ID, `"${raw}" is not a WhatsApp group id`, [
      { field: 'contactIdentifier', messages: ['a group identifier is its WhatsApp group id, e.g. 120363012345678901@g.us'] },
    ]);
  return `${id}@g.us`;
}

/**
 * The stored, unique form of a contact identifier. Individuals: digits with country code
 * (Brazilian mobiles with the ninth digit), or a WhatsApp privacy id `<digits>@lid` kept as is
 * (WhatsApp hides some numbers behind it). Groups: the WhatsApp group id with `@g.us`.
 */
export function normalizeContactIdentifier(type: ContactType, raw: string): string {
  if (type === 'group') return normalizeGroupId(raw);
  const trimmed = raw.trim();
  if (LID.test(trimmed)) return trimmed;
  if (trimmed.endsWith('@g.us')) throw invalidPhone(raw, 'a group id is not a phone number (use type "group")');
  return normalizePhoneNumber(trimmed);
}

/** The WhatsApp chat id of a contact: `<digits>@c.us`, `<digits>@lid` or the group id. */
export function toChatId(contact: { type: ContactType; contactIdentifier: string }): string {
  if (contact.type === 'group' || contact.contactIdentifier.includes('@')) return contact.contactIdentifier;
  return `${contact.contactIdentifier}@c.us`;
}

/** The contact a WhatsApp chat id names, normalised as stored. */
export function fromChatId(chatId: string): { type: ContactType; contactIdentifier: string } {
  if (chatId.endsWith('@g.us')) return { type: 'group', contactIdentifier: normalizeGroupId(chatId) };
  return { type: 'individual', contactIdentifier: normalizeContactIdentifier('individual', chatId) };
}

/**
 * Best-effort normalisation for a list filter: without a type, a phone number is tried first,
 * then a group id; a value that is neither is matched as given (and then matches nothing).
 */
export function normalizeIdentifierFilter(raw: string, type?: ContactType): string {
  const tries: ContactType[] = type ? [type] : raw.trim().endsWith('@g.us') || raw.includes('-') ? ['group'] : ['individual', 'group'];
  for (const guess of tries) {
    try {
      return normalizeContactIdentifier(guess, raw);
    } catch {
      /* try the next reading */
    }
  }
  return raw.trim();
}
