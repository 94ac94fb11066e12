import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNotEmptyObject, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { PlatformDto, SLUG_MESSAGE, SLUG_PATTERN } from './platform.dto';

export const MAX_PLATFORMS = 20;

export class WhatsappWebProviderDto {
  @ApiProperty({ example: '5521999999999', description: 'The WhatsApp number of the channel (normalised to digits with country code)' })
  @IsString()
  @Length(1, 32)
  clientNumber!: string;

  @ApiProperty({ example: 'my_company_id' })
  @IsString()
  @Length(1, 128)
  companyId!: string;
}

/** What every service's setup body has besides `provider` (SDK guide 1.1). */
export class SetupCommonDto {
  @ApiPropertyOptional({ example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34', description: 'Must be the key’s account' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  clientIdentifier?: string;

  @ApiProperty({ example: 'karoochat', description: 'One of the platforms’ slugs' })
  @IsString()
  @Matches(SLUG_PATTERN, { message: SLUG_MESSAGE })
  startingPlatform!: string;

  @ApiProperty({ type: [PlatformDto], example: [{ callbackUrl: 'https://myapp.com/webhook', slug: 'karoochat' }] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PLATFORMS)
  @ValidateNested({ each: true })
  @Type(() => PlatformDto)
  platforms!: PlatformDto[];

  @ApiPropertyOptional({ example: 'Canal WhatsApp Web para atendimento' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

/** SDK guide 1.1 (`SetupWhatsappWebDto`). */
export class SetupWhatsappWebDto extends SetupCommonDto {
  @ApiProperty({ type: WhatsappWebProviderDto })
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => WhatsappWebProviderDto)
  provider!: WhatsappWebProviderDto;
}
