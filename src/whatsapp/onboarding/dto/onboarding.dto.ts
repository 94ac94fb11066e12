import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsObjectIdString } from '../../../common/validation/is-object-id.decorator';
import { SESSION_STATES, SessionState } from '../../sessions/session-state';

const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

export class ChannelOnboardingLinkDto {
  @ApiPropertyOptional({
    example: 'https://app.example.com',
    description:
      "Origin of the page that opens the popup: the onboarding page posts its messages only to it. Without it they go to '*' " +
      '(they carry no secret: channel id and state).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  @Matches(ORIGIN, { message: 'origin must be an origin like https://app.example.com (scheme, host, optional port)' })
  origin?: string;

  @ApiPropertyOptional({ description: 'Ignored: the API key decides the account' })
  @IsOptional()
  @IsString()
  clientIdentifier?: string;
}

/** The SDK's OnboardingProps (guide 1.2), minus the callbacks. */
export class OnboardingLinkDto extends ChannelOnboardingLinkDto {
  @ApiPropertyOptional({ example: '64ef5c84f9deb1326965919e' })
  @IsOptional()
  @IsObjectIdString()
  channelId?: string;

  @ApiPropertyOptional({ example: '64ef5c84f9deb1326965919f' })
  @IsOptional()
  @IsObjectIdString()
  platformConfigId?: string;

  @ApiPropertyOptional({ example: '5521999999999', description: "The channel's clientNumber; checked when given" })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  providerId?: string;
}

export class OnboardingLinkResponse {
  @ApiProperty({ example: 'https://omni.example.com/onboarding/eyJjIjoi….Q2hv…' })
  url!: string;

  @ApiProperty({ description: 'The link opens until then (the open page keeps working for 20 more minutes)' })
  expiresAt!: Date;

  @ApiProperty({ example: '64ef5c84f9deb1326965919e' })
  channelId!: string;

  @ApiProperty({ example: '64ef5c84f9deb1326965919f' })
  platformConfigId!: string;

  @ApiProperty({ enum: SESSION_STATES, example: 'STARTING' })
  state!: SessionState;
}
