import { isReaction } from './reaction';

describe('isReaction', () => {
  it.each(['', '👍', '👍🏽', '❤️', '❤', '🇧🇷', '👨‍👩‍👧', '1️⃣', '😂', '🏳️‍🌈'])('accepts %p', (value) => {
    expect(isReaction(value)).toBe(true);
  });

  it.each(['hello', 'a', '1', '👍👍', '😀😀😀', '👍 ', ' ', '👍a', '#', 42, null, undefined])('refuses %p', (value) => {
    expect(isReaction(value)).toBe(false);
  });
});
