import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsIn,
  IsLatitude,
  IsLongitude,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsReaction } from '../content/reaction';
import { MessageTargetDto, ReplyableTargetDto } from './message-target.dto';

/** 5.4 / 6.4: an image (JPEG, PNG or WebP) sent as a sticker; WhatsApp converts it to WebP. */
export class SendStickerDto extends ReplyableTargetDto {
  @ApiProperty({ example: 'https://exemplo.com/sticker.webp' })
  @IsString()
  @MaxLength(4096)
  mediaUri!: string;
}

export class ContactCardDto {
  @ApiProperty({ example: 'Maria Souza' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: '5521999998888', description: 'Digits with country code; + and punctuation tolerated' })
  @IsString()
  @Matches(/^\+?[\d\s().-]{6,32}$/, { message: 'phone must be a phone number with country code' })
  phone!: string;

  @ApiPropertyOptional({ example: 'ACME Ltda' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  organization?: string;

  @ApiPropertyOptional({ example: 'maria@acme.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(200)
  email?: string;
}

/** 5.5 / 6.5: one or more contact cards (vCard 3.0, built here). */
export class SendContactsDto extends ReplyableTargetDto {
  @ApiProperty({ type: [ContactCardDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ContactCardDto)
  contacts!: ContactCardDto[];
}

/** 5.8 / 6.8: a map pin. */
export class SendLocationDto extends ReplyableTargetDto {
  @ApiProperty({ example: -22.9519 })
  @IsLatitude()
  latitude!: number;

  @ApiProperty({ example: -43.2105 })
  @IsLongitude()
  longitude!: number;

  @ApiPropertyOptional({ example: 'Cristo Redentor' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'https://maps.example.com/?q=-22.9519,-43.2105' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(1000)
  url?: string;
}

/** 5.9 / 6.9: an address = a location with a name and an address line. */
export class SendAddressDto extends ReplyableTargetDto {
  @ApiProperty({ example: -22.9519 })
  @IsLatitude()
  latitude!: number;

  @ApiProperty({ example: -43.2105 })
  @IsLongitude()
  longitude!: number;

  @ApiProperty({ example: 'Loja Centro' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'Rua da Assembleia, 10 - Centro, Rio de Janeiro - RJ' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  address!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(1000)
  url?: string;
}

/** 5.6 / 6.6: react to a message of the chat ('' removes our reaction). */
export class SendReactionDto extends MessageTargetDto {
  @ApiProperty({ description: 'Our message id or its WhatsApp id, in the target chat' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  messageId!: string;

  @ApiProperty({ example: '👍', description: 'Exactly one emoji (one grapheme: 👍, 👍🏽, 🇧🇷, 👨‍👩‍👧); empty string removes the reaction' })
  @IsReaction()
  emoji!: string;
}

/** 5.11 / 6.11: forward a message of the same channel into the target chat. */
export class ForwardMessageDto extends MessageTargetDto {
  @ApiProperty({ description: 'The message to forward: our id or its WhatsApp id, any chat of the same channel' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  messageId!: string;
}

export class InteractiveButtonDto {
  @ApiProperty({ example: 'yes' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  id!: string;

  @ApiProperty({ example: 'Sim' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20)
  title!: string;
}

export class InteractiveRowDto extends InteractiveButtonDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(72)
  description?: string;
}

export class InteractiveSectionDto {
  @ApiPropertyOptional({ example: 'Planos' })
  @IsOptional()
  @IsString()
  @MaxLength(24)
  title?: string;

  @ApiProperty({ type: [InteractiveRowDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => InteractiveRowDto)
  rows!: InteractiveRowDto[];
}

/**
 * 5.7 / 6.7: buttons or a list (the WhatsApp Business API's interactive message). WhatsApp Web cannot
 * send them: 422 ENGINE_FEATURE_UNSUPPORTED. Shaped like the official API so a provider for it can.
 */
export class SendInteractiveDto extends ReplyableTargetDto {
  @ApiProperty({ enum: ['button', 'list', 'cta_url'] })
  @IsIn(['button', 'list', 'cta_url'])
  type!: 'button' | 'list' | 'cta_url';

  @ApiPropertyOptional({ example: 'Atendimento' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  header?: string;

  @ApiProperty({ example: 'Escolha uma opção' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  body!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(60)
  footer?: string;

  @ApiPropertyOptional({ type: [InteractiveButtonDto], description: 'type button: 1 to 3 reply buttons' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  @Type(() => InteractiveButtonDto)
  buttons?: InteractiveButtonDto[];

  @ApiPropertyOptional({ example: 'Ver opções', description: 'type list: the button that opens the list' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  buttonText?: string;

  @ApiPropertyOptional({ type: [InteractiveSectionDto], description: 'type list: 1 to 10 sections' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => InteractiveSectionDto)
  sections?: InteractiveSectionDto[];

  @ApiPropertyOptional({ example: 'Ver pedido', description: 'type cta_url: the button label' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  displayText?: string;

  @ApiPropertyOptional({ example: 'https://loja.exemplo.com/pedido/123', description: 'type cta_url: the URL the button opens' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(2000)
  url?: string;
}

/** A pre-approved message template (official API): the only kind allowed outside the 24 h window. */
export class SendTemplateDto extends MessageTargetDto {
  @ApiProperty({ example: 'pedido_confirmado', description: 'The template name (GET /channels/:channelId/templates)' })
  @IsString()
  @Matches(/^[a-z0-9_]{1,512}$/, { message: 'name must be a template name: lower-case letters, digits and _' })
  name!: string;

  @ApiProperty({ example: 'pt_BR', description: 'The template language code' })
  @IsString()
  @Matches(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, { message: 'language must be a language code such as pt_BR or en' })
  language!: string;

  @ApiPropertyOptional({
    description: "Meta's template components with their parameters, passed as given",
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    example: [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] }],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  components?: Record<string, unknown>[];
}

/** 5.10 / 6.10: ask the customer to share their location (official API only). */
export class SendLocationRequestDto extends ReplyableTargetDto {
  @ApiProperty({ example: 'Pode compartilhar sua localização?' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  text!: string;
}

/** 5.12 / 6.12 (`DeleteMessageDto`): delete one of the channel's messages for everyone. */
export class DeleteMessageDto {
  @ApiPropertyOptional({ description: 'Must be the key’s account' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  clientIdentifier?: string;

  @ApiProperty({ example: '64ef5c85f9deb132696591b2', description: 'Our message id or its WhatsApp id' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  messageId!: string;

  @ApiProperty({ example: '5521999999999', description: 'Who sent the message: the channel’s number for our messages (digits or a WhatsApp id); checked' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  senderId!: string;

  @ApiProperty({ example: 'karoochat', description: 'The platform asking; must be a platform of the message’s channel' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  channelSlug!: string;
}
