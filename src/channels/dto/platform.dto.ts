import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const SLUG_MESSAGE = 'slug must be 1-64 lower-case letters, digits, "-" or "_", starting with a letter or digit';

/** One platform that receives the channel's events (SDK guide 1.1, `platforms[]`). */
export class PlatformDto {
  @ApiProperty({ example: 'karoochat', pattern: SLUG_PATTERN.source })
  @IsString()
  @Matches(SLUG_PATTERN, { message: SLUG_MESSAGE })
  slug!: string;

  @ApiProperty({ example: 'https://myapp.com/webhook', description: 'http(s) URL; private addresses are refused (INVALID_CALLBACK_URL)' })
  @IsString()
  @Length(1, 2048)
  callbackUrl!: string;
}

export class AddPlatformDto extends PlatformDto {
  @ApiPropertyOptional({ example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34', description: 'Must be the key’s account' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  clientIdentifier?: string;
}

export class UpdatePlatformDto {
  @ApiPropertyOptional({ example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  clientIdentifier?: string;

  @ApiPropertyOptional({ example: 'https://myapp.com/webhook/v2' })
  @IsOptional()
  @IsString()
  @Length(1, 2048)
  callbackUrl?: string;

  @ApiPropertyOptional({ example: true, description: 'Re-enable an endpoint that delivery disabled (clears disabledReason), or pause it' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export { SLUG_MESSAGE };
