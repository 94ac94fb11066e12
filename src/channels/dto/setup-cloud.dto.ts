import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmptyObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { SetupCommonDto, WhatsappWebProviderDto } from './setup-whatsapp-web.dto';

/** Meta's WhatsApp Cloud API: the number's ids and the app's secrets (stored encrypted, never returned). */
export class WhatsappCloudProviderDto extends WhatsappWebProviderDto {
  @ApiProperty({ example: '106540352242922', description: 'Phone number id (WhatsApp Manager → API setup)' })
  @Matches(/^\d{5,32}$/, { message: 'phoneNumberId must be the numeric id Meta gives the number' })
  phoneNumberId!: string;

  @ApiProperty({ example: '102290129340398', description: 'WhatsApp Business Account id' })
  @Matches(/^\d{5,32}$/, { message: 'wabaId must be the numeric WhatsApp Business Account id' })
  wabaId!: string;

  @ApiProperty({ description: 'System-user access token with whatsapp_business_messaging (stored encrypted)' })
  @IsString()
  @Length(16, 1024)
  accessToken!: string;

  @ApiProperty({ description: "The Meta app's secret: verifies X-Hub-Signature-256 on inbound webhooks (stored encrypted)" })
  @IsString()
  @Length(8, 256)
  appSecret!: string;

  @ApiProperty({ description: 'The verify token you type in the app’s webhook settings (stored encrypted)' })
  @IsString()
  @Length(8, 256)
  webhookVerifyToken!: string;

  @ApiPropertyOptional({ example: 'v21.0', description: 'Graph API version; default WHATSAPP_CLOUD_API_VERSION' })
  @IsOptional()
  @Matches(/^v\d+\.\d+$/, { message: 'apiVersion must look like v21.0' })
  apiVersion?: string;
}

/** 360dialog's hosted Cloud API (the guide's "D360"): the channel's API key (stored encrypted, never returned). */
export class D360ProviderDto extends WhatsappWebProviderDto {
  @ApiProperty({ description: '360dialog API key of the number (D360-API-KEY; stored encrypted)' })
  @IsString()
  @Length(8, 512)
  apiKey!: string;
}

export class SetupWhatsappCloudDto extends SetupCommonDto {
  @ApiProperty({ type: WhatsappCloudProviderDto })
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => WhatsappCloudProviderDto)
  provider!: WhatsappCloudProviderDto;
}

export class SetupD360Dto extends SetupCommonDto {
  @ApiProperty({ type: D360ProviderDto })
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => D360ProviderDto)
  provider!: D360ProviderDto;
}
