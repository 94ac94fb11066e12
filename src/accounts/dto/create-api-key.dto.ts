import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

export class CreateApiKeyDto {
  @ApiProperty({ example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34', description: 'The account the key acts for' })
  @IsString()
  @Length(1, 128)
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: 'clientIdentifier may hold letters, digits and . _ : -' })
  clientIdentifier!: string;

  @ApiPropertyOptional({ example: 'karoochat production' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;
}

export class ListApiKeysQuery {
  @ApiProperty({ example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34' })
  @IsString()
  @Length(1, 128)
  clientIdentifier!: string;
}
