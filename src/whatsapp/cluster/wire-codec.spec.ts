import { AppError } from '../../common/errors/app-error';
import { decode, encode, fromWireError, toWireError } from './wire-codec';

describe('wire codec (forwarded commands)', () => {
  it('keeps Dates and Buffers, and leaves date-looking strings alone', () => {
    const value = { at: new Date('2026-12-06T03:00:00.000Z'), text: '2026-12-06T03:00:00.000Z', png: Buffer.from([1, 2, 3]), list: [new Date(5)] };
    const back = decode<typeof value>(encode(value));
    expect(back.at).toBeInstanceOf(Date);
    expect(back.at.toISOString()).toBe('2026-12-06T03:00:00.000Z');
    expect(back.text).toBe('2026-12-06T03:00:00.000Z');
    expect(Buffer.isBuffer(back.png)).toBe(true);
    expect([...back.png]).toEqual([1, 2, 3]);
    expect(back.list[0].getTime()).toBe(5);
  });

  it('carries an AppError across with status, code, details and Retry-After', () => {
    const err = AppError.unavailable('SESSION_MOVING', 'moving', { state: 'READY' }).retryAfter(7);
    const back = fromWireError(decode(encode(toWireError(err))));
    expect(back).toBeInstanceOf(AppError);
    expect(back).toMatchObject({ status: 503, code: 'SESSION_MOVING', message: 'moving', details: { state: 'READY' }, retryAfterSeconds: 7 });
  });

  it('hides anything that is not an AppError behind a plain 500', () => {
    expect(toWireError(new Error('secret stack detail'))).toEqual({ status: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' });
  });
});
