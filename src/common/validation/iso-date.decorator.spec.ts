import { plainToInstance } from 'class-transformer';
import { IsOptional, validateSync } from 'class-validator';
import { IsIsoDate, isIsoDateString } from './iso-date.decorator';

class Probe {
  @IsOptional()
  @IsIsoDate('since')
  since?: Date;
}

const check = (since: unknown) => {
  const dto = plainToInstance(Probe, { since });
  return { dto, errors: validateSync(dto) };
};

describe('IsIsoDate', () => {
  it.each(['2026-01-31T00:00:00Z', '2026-01-31T10:20:30.123+03:00', '2026-01-31', '2026-01-31T10:20Z'])('accepts %s as a Date', (value) => {
    const { dto, errors } = check(value);
    expect(errors).toEqual([]);
    expect(dto.since).toBeInstanceOf(Date);
    expect(dto.since!.getTime()).toBe(new Date(value).getTime());
  });

  it.each([12345, 0, '12345', '1', 'yesterday', '2026-02-30T00:00:00Z', '2026-01-31 10:00:00', true, {}, []])('refuses %p', (value) => {
    expect(check(value).errors).toHaveLength(1);
  });

  it('is strict about the string form', () => {
    expect(isIsoDateString('2026-13-01')).toBe(false);
    expect(isIsoDateString('2026-12-01T23:59:59Z')).toBe(true);
  });
});
