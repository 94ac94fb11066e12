import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUrl, Length, Matches, MaxLength } from 'class-validator';
import { SLUG_MESSAGE, SLUG_PATTERN } from '../../channels/dto/platform.dto';
import { IsObjectIdString } from '../../common/validation/is-object-id.decorator';
import { CONTACT_TYPES, type ContactType } from '../contact-identifier';
import { CHANNEL_TYPES } from '../schemas/contact.schema';

export const MAX_TAGS_PER_CONTACT = 100;

export class AccountScoped {
  @ApiPropertyOptional({ example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34', description: 'Must be the key’s account' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  clientIdentifier?: string;
}

/** Bodies of the guide's DTOs that name the contact; the path id wins and the two must agree. */
export class ContactScoped extends AccountScoped {
  @ApiPropertyOptional({ description: 'Optional; must equal the path id (ID_MISMATCH otherwise)' })
  @IsOptional()
  @IsObjectIdString()
  contactId?: string;
}

/** SDK guide 2.1 (`CreateContactDto`). */
export class CreateContactDto extends AccountScoped {
  @ApiProperty({ example: '689a05215b711247e8f54022' })
  @IsObjectIdString()
  channelId!: string;

  @ApiProperty({
    example: '5521999999999',
    description: 'Individual: phone number (normalised to digits with country code; Brazilian mobiles with the ninth digit). Group: WhatsApp group id.',
  })
  @IsString()
  @Length(1, 64)
  contactIdentifier!: string;

  @ApiPropertyOptional({ example: 'João Silva' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiProperty({ enum: CONTACT_TYPES, example: 'individual' })
  @IsIn(CONTACT_TYPES)
  type!: ContactType;

  @ApiProperty({ enum: CHANNEL_TYPES, example: 'whatsapp' })
  @IsIn(CHANNEL_TYPES)
  channelType!: 'whatsapp';

  @ApiPropertyOptional({ example: 'João (Mercearia)' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  customName?: string;

  @ApiPropertyOptional({ example: 'https://bucket.s3.amazonaws.com/photos/joao.jpg' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2048)
  photo?: string;

  @ApiPropertyOptional({ example: ['68e54649a3744412be5cc107'], description: 'Tags of the same account' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TAGS_PER_CONTACT)
  @ArrayUnique()
  @IsObjectIdString({ each: true })
  tagIds?: string[];

  @ApiPropertyOptional({ example: 'karoochat', description: 'One of the channel’s platform slugs' })
  @IsOptional()
  @IsString()
  @Matches(SLUG_PATTERN, { message: SLUG_MESSAGE })
  platform?: string;

  @ApiPropertyOptional({ example: false, default: false })
  @IsOptional()
  @IsBoolean()
  isIgnored?: boolean;
}

/** SDK guide 2.2 (`UpdateContactDto`): only these fields change; `name` comes from WhatsApp. */
export class UpdateContactDto extends ContactScoped {
  @ApiPropertyOptional({ example: 'Nome Modificado' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  customName?: string;

  @ApiPropertyOptional({ example: 'karoochat', description: 'A platform slug of the contact’s channel' })
  @IsOptional()
  @IsString()
  @Matches(SLUG_PATTERN, { message: SLUG_MESSAGE })
  platform?: string;

  @ApiPropertyOptional({ example: ['68e54649a3744412be5cc107'], description: 'Replaces the contact’s tags' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TAGS_PER_CONTACT)
  @ArrayUnique()
  @IsObjectIdString({ each: true })
  tagIds?: string[];

  @ApiPropertyOptional({ example: '5521988887777' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  contactIdentifier?: string;

  @ApiPropertyOptional({ example: true })
  @IsOptional()
  @IsBoolean()
  isIgnored?: boolean;
}

/** SDK guide 2.7 / 2.8 (`AddContactTagDto`, `RemoveContactTagDto`). */
export class ContactTagsDto extends ContactScoped {
  @ApiProperty({ example: ['68e54649a3744412be5cc107', '68e54649a3744412be5cc108'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TAGS_PER_CONTACT)
  @IsObjectIdString({ each: true })
  tagIds!: string[];
}
