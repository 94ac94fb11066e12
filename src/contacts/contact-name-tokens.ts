/**
 * Name search by equality: a contact stores `nameTokens`, every prefix of every folded word of its
 * name and customName, and a search for "joã sil" asks `nameTokens: 'joa'` and `nameTokens: 'sil'`.
 * Both stores serve that from an index (MongoDB's multikey index, the embedded store's GIN index);
 * an unanchored case-insensitive regex is a full scan on either.
 *
 * Folding: Unicode NFKD, combining marks dropped, lower case ("JOÃO" → "joao"). Words are split
 * twice, on whitespace and on anything that is not a letter or digit, so "(Mercearia)" is found by
 * "merc" and by "(merc", and "a+" does not match "Ana". Words longer than MAX_WORD_LENGTH match on
 * their first MAX_WORD_LENGTH characters.
 */
export const MAX_WORD_LENGTH = 20;
/** Words taken from each of name and customName (the rest is not searchable). */
export const MAX_WORDS_PER_FIELD = 12;

export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

function words(text: string): string[] {
  const folded = foldText(text);
  const byWhitespace = folded.split(/\s+/u).filter(Boolean).slice(0, MAX_WORDS_PER_FIELD);
  const byLettersAndDigits = folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, MAX_WORDS_PER_FIELD);
  return [...byWhitespace, ...byLettersAndDigits];
}

/** Every prefix of every word of the given names (deduplicated; order irrelevant). */
export function nameTokens(...names: Array<string | undefined>): string[] {
  const tokens = new Set<string>();
  for (const name of names) {
    if (!name) continue;
    for (const word of words(name)) {
      const capped = [...word].slice(0, MAX_WORD_LENGTH);
      for (let i = 1; i <= capped.length; i++) tokens.add(capped.slice(0, i).join(''));
    }
  }
  return [...tokens];
}

/**
 * The tokens a search term asks for: each whitespace-separated word, folded and capped. Every one
 * must be on the contact (AND). Empty when the term has no word.
 */
export function searchTokens(term: string): string[] {
  const folded = foldText(term)
    .split(/\s+/u)
    .filter(Boolean)
    .map((w) => [...w].slice(0, MAX_WORD_LENGTH).join(''));
  return [...new Set(folded)];
}
