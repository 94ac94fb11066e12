import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsDate, isISO8601 } from 'class-validator';

/**
 * A calendar date with a time, `2026-01-31T00:00:00Z` style: what `new Date()` accepts is far
 * looser (`12345` is the year 12345 as a string and 1970 as a number, `"1"` is 2001).
 */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export function isIsoDateString(value: unknown): value is string {
  return typeof value === 'string' && ISO_DATE_TIME.test(value) && isISO8601(value, { strict: true, strictSeparator: true });
}

/**
 * A date field of a body or query: an ISO-8601 string only, turned into a Date. Anything else
 * (numbers, epoch strings, `"yesterday"`) stays as it came and fails the IsDate check with a 400.
 */
export function IsIsoDate(field: string): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => (isIsoDateString(value) ? new Date(value) : value), { toClassOnly: true }),
    IsDate({ message: `${field} must be an ISO 8601 date string, e.g. 2026-01-31T00:00:00Z` }),
  );
}
