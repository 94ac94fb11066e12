import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

export class SignInDto {
  @ApiProperty({ description: 'An account API key (omk_…) or the admin key', example: 'omk_…' })
  @IsString()
  @Length(1, 512)
  key!: string;
}

export class ConsoleSessionResponse {
  @ApiProperty({ enum: ['admin', 'account'] }) kind!: 'admin' | 'account';
  @ApiProperty({ required: false, description: 'The account (account sessions)' }) clientIdentifier?: string;
  @ApiProperty({ description: 'Send it as X-CSRF-Token on every state change' }) csrfToken!: string;
  @ApiProperty() sandbox!: boolean;
}

export class TestEventDto {
  @ApiProperty({ required: false, description: 'Free text echoed in the event', example: 'hello' })
  @IsOptional()
  @IsString()
  @Length(0, 200)
  note?: string;
}

export class HealthQuery {
  @ApiProperty({ required: false, description: 'The admin names the account here or in X-Client-Identifier' })
  @IsOptional()
  @IsString()
  clientIdentifier?: string;

  @ApiProperty({ required: false, enum: ['1h', '24h', '7d'] })
  @IsOptional()
  @IsIn(['1h', '24h', '7d'])
  window?: '1h' | '24h' | '7d';

  @ApiProperty({ required: false })
  @IsOptional()
  @Matches(/^[0-9a-f]{24}$/)
  channelId?: string;
}
