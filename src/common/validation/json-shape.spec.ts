import { AppError } from '../errors/app-error';
import { assertJsonShape, MAX_JSON_DEPTH, MAX_JSON_VALUES, measureJson } from './json-shape';

const buf = (s: string) => Buffer.from(s, 'utf8');

describe('measureJson', () => {
  it.each([
    ['{}', 1, 1],
    ['{"a":[1,2,{"b":3}]}', 3, 5],
    ['"just a string"', 0, 0],
    ['{"a":"[[[{{{\\"]]]"}', 1, 1], // brackets and escaped quotes inside strings do not count
    ['[[[["x"]]]]', 4, 4],
  ])('measures %s', (text, depth, values) => {
    expect(measureJson(buf(text))).toEqual({ depth, values });
  });

  it('walks 10,000 levels without recursion', () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    expect(measureJson(buf(deep)).depth).toBe(10_000);
  });
});

describe('assertJsonShape', () => {
  const codeOf = (text: string) => {
    try {
      assertJsonShape(buf(text));
      return undefined;
    } catch (err) {
      return (err as AppError).code;
    }
  };

  it('accepts ordinary bodies up to the limits', () => {
    expect(codeOf('{"text":"oi","contacts":[{"name":"a","phone":"1"}]}')).toBeUndefined();
    expect(codeOf('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBeUndefined();
    expect(codeOf(`[${Array(MAX_JSON_VALUES).fill(1).join(',')}]`)).toBeUndefined();
  });

  it('refuses too deep and too many values with their codes (400)', () => {
    expect(codeOf('{"a":'.repeat(MAX_JSON_DEPTH + 1) + '1' + '}'.repeat(MAX_JSON_DEPTH + 1))).toBe('PAYLOAD_TOO_DEEP');
    expect(codeOf(`[${Array(MAX_JSON_VALUES + 1).fill(1).join(',')}]`)).toBe('PAYLOAD_TOO_COMPLEX');
    expect(() => assertJsonShape(buf('['.repeat(10_000)))).toThrow(expect.objectContaining({ status: 400 }));
  });
});
