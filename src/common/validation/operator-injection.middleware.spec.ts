import { AppError } from '../errors/app-error';
import { findForbiddenKey, operatorInjectionMiddleware } from './operator-injection.middleware';

const run = (body: unknown, query: Record<string, unknown> = {}) => {
  let passed: unknown = 'not called';
  operatorInjectionMiddleware({ body, query } as never, {} as never, (err?: unknown) => (passed = err));
  return passed as AppError | undefined;
};

describe('operator and reserved key check', () => {
  it('refuses reserved keys anywhere like any unknown key (400 VALIDATION_FAILED)', () => {
    for (const body of [JSON.parse('{"__proto__":{"admin":true}}'), { a: [{ constructor: 1 }] }, { prototype: {} }]) {
      const err = run(body);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    }
    const q = Object.assign(Object.create(null), { ['__proto__']: 'x' });
    expect(run({}, q)).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: '__proto__' }] });
    expect(run(JSON.parse('{"x":{"__proto__":1}}'))).toMatchObject({ details: [{ field: 'x.__proto__' }] });
  });

  it('still refuses operators with their own code', () => {
    expect(run({ name: { $gt: '' } })).toMatchObject({ code: 'OPERATOR_NOT_ALLOWED', details: [{ field: 'body.name.$gt' }] });
  });

  it('passes ordinary data, including a "constructor" value (only keys are checked)', () => {
    expect(run({ text: 'constructor', list: ['__proto__'] })).toBeUndefined();
  });

  it('walks 10,000 levels without overflowing the stack', () => {
    let deep: unknown = { $where: 1 };
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    expect(findForbiddenKey(deep)?.kind).toBe('operator');
  });
});
