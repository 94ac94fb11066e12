import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { AppError, CommonErrorCode } from '../errors/app-error';

export const DEFAULT_PAGE_LIMIT = 30;
export const MAX_PAGE_LIMIT = 100;

/** `page`, `limit`, `order` as the SDK guide names them. */
export class PageQuery {
  @ApiPropertyOptional({ example: 1, default: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ example: 10, default: DEFAULT_PAGE_LIMIT, minimum: 1, maximum: MAX_PAGE_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc', description: 'By creation time' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}

export interface Page<T> {
  data: T[];
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

export function pageWindow(q: PageQuery): { page: number; limit: number; skip: number; order: 1 | -1 } {
  const page = q.page ?? 1;
  const limit = q.limit ?? DEFAULT_PAGE_LIMIT;
  return { page, limit, skip: (page - 1) * limit, order: q.order === 'asc' ? 1 : -1 };
}

/**
 * Builds the page envelope. A page past the last one is a caller error (PAGE_OUT_OF_RANGE),
 * except page 1 of an empty list, which is simply empty.
 */
export function toPage<T>(data: T[], total: number, page: number, limit: number): Page<T> {
  const totalPages = Math.ceil(total / limit);
  if (page > 1 && page > totalPages)
    throw AppError.badRequest(CommonErrorCode.PAGE_OUT_OF_RANGE, `page ${page} is past the last page (${totalPages})`, { totalPages });
  return { data, page, limit, total, totalPages };
}
