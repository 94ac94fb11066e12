import { foldText, MAX_WORD_LENGTH, nameTokens, searchTokens } from './contact-name-tokens';

describe('contact name tokens', () => {
  it('folds case and accents', () => {
    expect(foldText('JOÃO Çarçaú')).toBe('joao carcau');
  });

  it('keeps every prefix of every word of name and customName', () => {
    const tokens = nameTokens('João Silva', 'Mercearia');
    expect(tokens).toEqual(expect.arrayContaining(['j', 'jo', 'joa', 'joao', 's', 'silva', 'merc', 'mercearia']));
    expect(tokens).not.toContain('ilva');
    expect(tokens).not.toContain('joão');
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('splits on punctuation as well as whitespace, so "(Mercearia)" and "a+" behave as typed', () => {
    const tokens = nameTokens('João (Mercearia)');
    expect(tokens).toEqual(expect.arrayContaining(['(merc', 'merc', '(mercearia)', 'mercearia']));
    expect(nameTokens('Ana')).not.toContain('a+');
  });

  it('caps words and ignores missing names', () => {
    const long = 'x'.repeat(MAX_WORD_LENGTH + 10);
    expect(Math.max(...nameTokens(long).map((t) => t.length))).toBe(MAX_WORD_LENGTH);
    expect(nameTokens(undefined, '')).toEqual([]);
    expect(searchTokens(long)).toEqual(['x'.repeat(MAX_WORD_LENGTH)]);
  });

  it('turns a search into the folded words it needs, each once', () => {
    expect(searchTokens('  JOÃO  sil joão ')).toEqual(['joao', 'sil']);
    expect(searchTokens('   ')).toEqual([]);
  });

  it('every search word of a stored name is one of its tokens', () => {
    const tokens = new Set(nameTokens('Pedro', 'JOÃO da padaria'));
    for (const q of ['joão', 'JOA', 'pad', 'da', 'pedro']) expect(searchTokens(q).every((t) => tokens.has(t))).toBe(true);
    expect(searchTokens('aria').every((t) => tokens.has(t))).toBe(false);
  });
});
