import { AppError } from '../common/errors/app-error';
import {
  fromChatId,
  normalizeContactIdentifier,
  normalizeIdentifierFilter,
  normalizePhoneNumber,
  toChatId,
} from './contact-identifier';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? err.code : 'NOT_APP_ERROR';
  }
  return undefined;
}

describe('normalizePhoneNumber', () => {
  it.each([
    ['5521999999999', '5521999999999'],
    ['+55 (21) 99999-9999', '5521999999999'],
    ['0055 21 99999 9999', '5521999999999'],
    ['5521999999999@c.us', '5521999999999'],
    ['14155552671', '14155552671'],
    ['+44 20 7946 0958', '442079460958'],
  ])('keeps %s as %s', (raw, expected) => {
    expect(normalizePhoneNumber(raw)).toBe(expected);
  });

  it('adds the ninth digit to Brazilian mobiles written without it', () => {
    expect(normalizePhoneNumber('552199999999')).toBe('5521999999999');
    expect(normalizePhoneNumber('552188887777@c.us')).toBe('5521988887777');
    expect(normalizePhoneNumber('+55 11 8765-4321')).toBe('5511987654321');
  });

  it('leaves Brazilian landlines with eight digits', () => {
    expect(normalizePhoneNumber('+55 11 3333-4444')).toBe('551133334444');
  });

  it('reads numbers without country code as Brazilian', () => {
    expect(normalizePhoneNumber('21 99999-9999')).toBe('5521999999999');
    expect(normalizePhoneNumber('(11) 98765-4321')).toBe('5511987654321');
    expect(normalizePhoneNumber('2199999999')).toBe('5521999999999');
    expect(normalizePhoneNumber('(021) 99999-9999')).toBe('5521999999999');
    // Valid Dutch numbers too (+31 98888 7777), but written without + they are Belo Horizonte.
    expect(normalizePhoneNumber('31 98888-7777')).toBe('5531988887777');
    expect(normalizePhoneNumber('+31 988887777')).toBe('31988887777');
  });

  it('reads other bare digits and WhatsApp ids as international', () => {
    expect(normalizePhoneNumber('31612345678')).toBe('31612345678');
    expect(normalizePhoneNumber('31988887777@c.us')).toBe('31988887777');
    expect(normalizePhoneNumber('919876543210')).toBe('919876543210');
  });

  it.each(['', 'abc', '123', '+999 1234 5678', '55219999999999999', '+55 21 9999', '5521999999999@g.us', '55-21-x'])(
    'refuses %p with INVALID_PHONE_NUMBER',
    (raw) => {
      expect(codeOf(() => normalizeContactIdentifier('individual', raw))).toBe('INVALID_PHONE_NUMBER');
    },
  );
});

describe('normalizeContactIdentifier', () => {
  it('keeps WhatsApp privacy ids of individuals as they are', () => {
    expect(normalizeContactIdentifier('individual', '123456789012345@lid')).toBe('123456789012345@lid');
  });

  it('gives groups their @g.us suffix', () => {
    expect(normalizeContactIdentifier('group', '120363012345678901')).toBe('120363012345678901@g.us');
    expect(normalizeContactIdentifier('group', '5521999999999-1612345678@g.us')).toBe('5521999999999-1612345678@g.us');
  });

  it.each(['', 'group-1', '123@c.us', '12@g.us', '5521999999999-@g.us'])('refuses group id %p with INVALID_GROUP_ID', (raw) => {
    expect(codeOf(() => normalizeContactIdentifier('group', raw))).toBe('INVALID_GROUP_ID');
  });
});

describe('chat ids', () => {
  it('maps contacts to chat ids and back', () => {
    expect(toChatId({ type: 'individual', contactIdentifier: '5521999999999' })).toBe('5521999999999@c.us');
    expect(toChatId({ type: 'individual', contactIdentifier: '99887766554433@lid' })).toBe('99887766554433@lid');
    expect(toChatId({ type: 'group', contactIdentifier: '120363012345678901@g.us' })).toBe('120363012345678901@g.us');
    expect(fromChatId('552199999999@c.us')).toEqual({ type: 'individual', contactIdentifier: '5521999999999' });
    expect(fromChatId('99887766554433@lid')).toEqual({ type: 'individual', contactIdentifier: '99887766554433@lid' });
    expect(fromChatId('120363012345678901@g.us')).toEqual({ type: 'group', contactIdentifier: '120363012345678901@g.us' });
  });
});

describe('normalizeIdentifierFilter', () => {
  it('normalises what it can and keeps the rest', () => {
    expect(normalizeIdentifierFilter('552199999999')).toBe('5521999999999');
    expect(normalizeIdentifierFilter('120363012345678901@g.us')).toBe('120363012345678901@g.us');
    expect(normalizeIdentifierFilter('120363012345678901')).toBe('120363012345678901@g.us');
    expect(normalizeIdentifierFilter('120363012345678901', 'individual')).toBe('120363012345678901');
    expect(normalizeIdentifierFilter(' nonsense ')).toBe('nonsense');
  });
});
