import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { IsObjectIdString } from '../../common/validation/is-object-id.decorator';

export const COLOR_PATTERN = /^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$/;
const COLOR_MESSAGE = 'color must be a hex colour like #ff0000 or #f00';
const NAME_MESSAGE = 'name must contain a visible character';

class AccountScoped {
  @ApiPropertyOptional({ example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34', description: 'Must be the key’s account' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  clientIdentifier?: string;
}

/** SDK guide 3.1 (`CreateTagDto`). */
export class CreateTagDto extends AccountScoped {
  @ApiProperty({ example: 'Cliente VIP', description: 'Unique in the account, ignoring case' })
  @IsString()
  @Length(1, 50)
  @Matches(/\S/, { message: NAME_MESSAGE })
  name!: string;

  @ApiProperty({ example: '#ff0000', pattern: COLOR_PATTERN.source })
  @IsString()
  @Matches(COLOR_PATTERN, { message: COLOR_MESSAGE })
  color!: string;
}

/** SDK guide 3.4 (`UpdateTagDto`); the id comes from the path. */
export class UpdateTagDto extends AccountScoped {
  @ApiPropertyOptional({ description: 'Optional; must equal the path id (ID_MISMATCH otherwise)' })
  @IsOptional()
  @IsObjectIdString()
  tagId?: string;

  @ApiPropertyOptional({ example: 'Cliente Premium' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  @Matches(/\S/, { message: NAME_MESSAGE })
  name?: string;

  @ApiPropertyOptional({ example: '#00ff00' })
  @IsOptional()
  @IsString()
  @Matches(COLOR_PATTERN, { message: COLOR_MESSAGE })
  color?: string;
}

/** SDK guide 3.2 (`GetTagsDto`). */
export class ListTagsQuery extends AccountScoped {
  @ApiPropertyOptional({ example: 'VIP', description: 'Part of the name, any case' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  name?: string;
}

export class TagResponse {
  @ApiProperty({ example: '68e54649a3744412be5cc107' })
  id!: string;

  @ApiProperty({ example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34' })
  clientIdentifier!: string;

  @ApiProperty({ example: 'Cliente VIP' })
  name!: string;

  @ApiProperty({ example: '#ff0000' })
  color!: string;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;
}
