import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination';
import { IsObjectIdString } from '../../common/validation/is-object-id.decorator';
import { CONTACT_TYPES, type ContactType } from '../contact-identifier';
import { CHANNEL_TYPES } from '../schemas/contact.schema';

/** `tagIds=a,b`, `tagIds=a&tagIds=b` or both. */
const toIdList = ({ value }: { value: unknown }) =>
  (Array.isArray(value) ? value : [value])
    .flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]))
    .map((v) => (typeof v === 'string' ? v.trim() : v))
    .filter((v) => v !== '');

export class AccountPageQuery extends PageQuery {
  @ApiPropertyOptional({ example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  clientIdentifier?: string;
}

/** SDK guide 2.4 (`GetContactsDto`), plus `channelId` and `tagMatch`. */
export class ListContactsQuery extends AccountPageQuery {
  @ApiPropertyOptional({ enum: CONTACT_TYPES, example: 'individual' })
  @IsOptional()
  @IsIn(CONTACT_TYPES)
  type?: ContactType;

  @ApiPropertyOptional({ enum: CHANNEL_TYPES, example: 'whatsapp' })
  @IsOptional()
  @IsIn(CHANNEL_TYPES)
  channelType?: 'whatsapp';

  @ApiPropertyOptional({ example: 'joão sil', description: 'Words or beginnings of words of name or customName (any case or accent); every word must match' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ example: '5521999999999', description: 'Exact, after the same normalisation as on create' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  contactIdentifier?: string;

  @ApiPropertyOptional({ type: [String], example: ['68e54649a3744412be5cc107', '68e54649a3744412be5cc108'], description: 'Comma-separated or repeated' })
  @IsOptional()
  @Transform(toIdList)
  @IsArray()
  @ArrayMaxSize(100)
  @IsObjectIdString({ each: true })
  tagIds?: string[];

  @ApiPropertyOptional({ enum: ['any', 'all'], default: 'any', description: 'With several tagIds: contacts with any of them, or with all' })
  @IsOptional()
  @IsIn(['any', 'all'])
  tagMatch?: 'any' | 'all';

  @ApiPropertyOptional({ example: '689a05215b711247e8f54022', description: 'Only this channel’s contacts' })
  @IsOptional()
  @IsObjectIdString()
  channelId?: string;
}
