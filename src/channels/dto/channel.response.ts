import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MESSAGE_SERVICES } from '../channel.types';

/** Swagger shapes of channel responses (the service returns plain objects of the same shape). */
export class PlatformEndpointResponse {
  @ApiProperty({ example: 'karoochat' })
  slug!: string;

  @ApiProperty({ example: 'https://myapp.com/webhook' })
  callbackUrl!: string;

  @ApiProperty({ example: true })
  enabled!: boolean;

  @ApiPropertyOptional({ example: 'endpoint answered 410 Gone' })
  disabledReason?: string;

  @ApiProperty({ example: 'whsec_MfKQ…', description: 'First characters of the signing secret' })
  secretPreview!: string;
}

export class PlatformEndpointWithSecretResponse extends PlatformEndpointResponse {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw3X7XGqBH3s4=', description: 'Standard Webhooks secret: shown only now' })
  secret!: string;
}

class ProviderResponse {
  @ApiProperty({ example: '5521999999999' })
  clientNumber!: string;

  @ApiProperty({ example: 'my_company_id' })
  companyId!: string;

  @ApiPropertyOptional({ example: '106540352242922', description: 'Official API: the number’s phone number id at Meta' })
  phoneNumberId?: string;

  @ApiPropertyOptional({ example: '102290129340398', description: 'Official API: the WhatsApp Business Account id' })
  wabaId?: string;

  @ApiPropertyOptional({ example: 'v21.0', description: 'whatsappcloud: the Graph API version' })
  apiVersion?: string;
}

export class ChannelResponse {
  @ApiProperty({ example: '64ef5c84f9deb1326965919e', description: 'channelId' })
  id!: string;

  @ApiProperty({ example: '64ef5c84f9deb1326965919f' })
  platformConfigId!: string;

  @ApiProperty({ example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34' })
  clientIdentifier!: string;

  @ApiProperty({ enum: MESSAGE_SERVICES, example: 'whatsappweb' })
  service!: string;

  @ApiProperty({ type: ProviderResponse })
  provider!: ProviderResponse;

  @ApiPropertyOptional({
    description: 'Official API channels: which provider secrets are stored, as previews (the values are never returned)',
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { accessToken: '…1a2b', appSecret: '…9f0e', webhookVerifyToken: '…c3d4' },
  })
  credentials?: Record<string, string>;

  @ApiProperty({ type: [PlatformEndpointResponse] })
  platforms!: PlatformEndpointResponse[];

  @ApiProperty({ example: 'karoochat' })
  startingPlatform!: string;

  @ApiPropertyOptional({ example: 'Canal WhatsApp Web para atendimento' })
  description?: string;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;
}

export class SetupResponse extends ChannelResponse {
  @ApiProperty({ example: '64ef5c84f9deb1326965919e', description: 'Same as id, under the name onboarding uses' })
  channelId!: string;

  @ApiProperty({ type: [PlatformEndpointWithSecretResponse] })
  declare platforms: PlatformEndpointWithSecretResponse[];
}

export class DeletedResponse {
  @ApiProperty({ example: '64ef5c84f9deb1326965919e' })
  id!: string;

  @ApiProperty({ example: true })
  deleted!: boolean;
}

export class PlatformDeletedResponse {
  @ApiProperty({ example: 'karoochatnew' })
  slug!: string;

  @ApiProperty({ example: true })
  deleted!: boolean;
}

export class RotatedSecretResponse extends PlatformEndpointWithSecretResponse {
  @ApiProperty({ description: 'Until then deliveries may also carry a signature made with the previous secret' })
  previousSecretExpiresAt!: Date;
}
