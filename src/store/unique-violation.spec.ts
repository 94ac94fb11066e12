import { isUniqueViolation, UniqueConflict } from './unique-violation';

describe('isUniqueViolation', () => {
  it.each([
    ['MongoDB E11000', Object.assign(new Error('E11000 duplicate key error collection'), { code: 11000 })],
    ['a write error entry', { index: 0, code: 11000 }],
    ['FerretDB/SQLite on update', new Error('UNIQUE constraint failed: contacts_1.idx')],
    ['FerretDB/PostgreSQL on update', new Error('ERROR: duplicate key value violates unique constraint "tags_x_idx" (SQLSTATE 23505)')],
    ['the adapter’s own check', new UniqueConflict('k')],
  ])('recognises %s', (_n, err) => expect(isUniqueViolation(err)).toBe(true));

  it.each([
    ['another error', new Error('boom')],
    ['busy', Object.assign(new Error('database is locked (SQLITE_BUSY)'), { code: 1 })],
    ['nothing', undefined],
    ['a string', 'E11000'],
  ])('refuses %s', (_n, err) => expect(isUniqueViolation(err)).toBe(false));
});
