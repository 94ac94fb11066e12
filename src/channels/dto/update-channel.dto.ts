import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { SLUG_MESSAGE, SLUG_PATTERN } from './platform.dto';

export class UpdateProviderDto {
  @ApiPropertyOptional({ example: 'my_company_id' })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  companyId?: string;
}

/**
 * What can change on a channel. The number (provider.clientNumber) and the service cannot:
 * they identify the WhatsApp session; set up a new channel instead.
 */
export class UpdateChannelDto {
  @ApiPropertyOptional({ example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  clientIdentifier?: string;

  @ApiPropertyOptional({ example: 'helpdesk', description: 'One of the channel’s platform slugs' })
  @IsOptional()
  @IsString()
  @Matches(SLUG_PATTERN, { message: SLUG_MESSAGE })
  startingPlatform?: string;

  @ApiPropertyOptional({ example: 'Atendimento (loja 2)', description: 'An empty string removes it' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ type: UpdateProviderDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => UpdateProviderDto)
  provider?: UpdateProviderDto;
}
