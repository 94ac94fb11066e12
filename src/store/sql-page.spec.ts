import { FieldKind, matchesConditions, pageStatement, translateFilter } from './sql-page';

const kinds: Record<string, FieldKind> = { clientIdentifier: 'string', type: 'string', tagIds: 'stringArray', nameTokens: 'stringArray', isIgnored: 'boolean' };
const kindOf = (f: string) => kinds[f];

describe('translateFilter', () => {
  it('translates top-level string and boolean equality, $in of strings and $and of those', () => {
    expect(
      translateFilter({ clientIdentifier: 'a', isIgnored: false, tagIds: { $in: ['x', 'y', 'x'] }, $and: [{ nameTokens: 'ana' }, { nameTokens: 'silva' }] }, kindOf),
    ).toEqual([
      { field: 'clientIdentifier', values: ['a'] },
      { field: 'isIgnored', values: [false] },
      { field: 'tagIds', values: ['x', 'y'] },
      { field: 'nameTokens', values: ['ana'] },
      { field: 'nameTokens', values: ['silva'] },
    ]);
    expect(translateFilter({}, kindOf)).toEqual([]);
  });

  it.each([
    ['a regex', { clientIdentifier: /a/ }],
    ['an operator', { type: { $ne: 'group' } }],
    ['$exists', { tagIds: { $exists: true } }],
    ['a range', { clientIdentifier: { $gt: 'a' } }],
    ['a dotted path', { 'provider.id': 'x' }],
    ['_id', { _id: 'abc' }],
    ['a field the schema does not declare as string or boolean', { createdAt: 'x' }],
    ['a number', { clientIdentifier: 3 }],
    ['an object value', { clientIdentifier: { a: 1 } }],
    ['null', { clientIdentifier: null }],
    ['undefined', { clientIdentifier: undefined }],
    ['a string on a boolean field', { isIgnored: 'true' }],
    ['a boolean on a string field', { type: true }],
    ['$in with a non-string', { tagIds: { $in: ['a', 1] } }],
    ['an empty $in', { tagIds: { $in: [] } }],
    ['$in with another operator', { tagIds: { $in: ['a'], $nin: ['b'] } }],
    ['$or', { $or: [{ type: 'group' }] }],
    ['$and holding a fallback', { clientIdentifier: 'a', $and: [{ name: { $regex: 'x' } }] }],
  ])('falls back on %s', (_name, filter) => {
    expect(translateFilter(filter as Record<string, unknown>, kindOf)).toBeUndefined();
  });
});

describe('pageStatement', () => {
  it('takes values as parameters, quotes identifiers and field names, orders by _id bytewise', () => {
    const st = pageStatement('db"x', 'contacts_1', [{ field: "ta'g", values: ['v1', 'v2'] }, { field: 'isIgnored', values: [true] }], { skip: 40, limit: 20, order: -1 });
    expect(st.values).toEqual(['"v1"', '"v2"', 'true', 20, 40]);
    expect(st.text).toContain('FROM "db""x"."contacts_1"');
    expect(st.text).toContain(`(_jsonb -> 'ta''g' @> $1::jsonb OR _jsonb -> 'ta''g' @> $2::jsonb) AND _jsonb -> 'isIgnored' @> $3::jsonb`);
    expect(st.text).toContain('ORDER BY id COLLATE "C" DESC LIMIT $4 OFFSET $5');
  });
});

describe('matchesConditions (the page\'s documents read back by _id alone)', () => {
  const conditions = translateFilter({ clientIdentifier: 'a', isIgnored: false, tagIds: { $in: ['x', 'y'] } }, kindOf)!;

  it('keeps a document that still holds every condition (array fields: any one value)', () => {
    expect(matchesConditions({ clientIdentifier: 'a', isIgnored: false, tagIds: ['z', 'y'] }, conditions)).toBe(true);
  });

  it('drops one of another account, or changed since the statement (tag gone, flag flipped, field missing)', () => {
    expect(matchesConditions({ clientIdentifier: 'b', isIgnored: false, tagIds: ['x'] }, conditions)).toBe(false);
    expect(matchesConditions({ clientIdentifier: 'a', isIgnored: false, tagIds: ['z'] }, conditions)).toBe(false);
    expect(matchesConditions({ clientIdentifier: 'a', isIgnored: true, tagIds: ['x'] }, conditions)).toBe(false);
    expect(matchesConditions({ clientIdentifier: 'a', tagIds: ['x'] }, conditions)).toBe(false);
  });

  it('keeps everything for no conditions', () => {
    expect(matchesConditions({ anything: 1 }, [])).toBe(true);
  });
});
