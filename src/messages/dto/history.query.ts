import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination';

/** `page`, `limit`, `order` (by message time; default newest first). */
export class HistoryQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only for the account named by an admin key' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  clientIdentifier?: string;
}
