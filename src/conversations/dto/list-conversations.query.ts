import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination';
import { IsObjectIdString } from '../../common/validation/is-object-id.decorator';

export class ListConversationsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only for the account named by an admin key' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  clientIdentifier?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsObjectIdString()
  channelId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsObjectIdString()
  contactId?: string;

  @ApiPropertyOptional({ example: 'karoochat' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  platform?: string;

  @ApiPropertyOptional({ enum: ['open', 'ended'] })
  @IsOptional()
  @IsIn(['open', 'ended'])
  status?: 'open' | 'ended';
}
