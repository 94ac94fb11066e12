import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBase64,
  IsBoolean,
  IsIn,
  IsLatitude,
  IsLongitude,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

/** A phone number (digits) or a WhatsApp id (`…@c.us`, `…@lid`, `…@g.us`). */
const CHAT = /^(\+?\d{5,20}|[\d-]{5,40}@(c\.us|lid|g\.us))$/;
const CHAT_MESSAGE = 'must be a phone number with country code or a WhatsApp id (…@c.us, …@g.us)';

export class SandboxLinkDto {
  @ApiPropertyOptional({
    example: '5521999999999',
    description: "The linked account's number. Default: the number a pairing code was asked for, else the channel's clientNumber",
  })
  @IsOptional()
  @Matches(/^\+?\d{8,15}$/, { message: 'me must be a phone number with country code' })
  me?: string;

  @ApiPropertyOptional({ example: 'Loja Centro', description: 'Profile name of the linked account' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  pushname?: string;
}

export class SandboxMediaDto {
  @ApiProperty({ example: 'image/png' })
  @IsString()
  @Matches(/^[\w.+-]+\/[\w.+-]+$/, { message: 'mimetype must look like image/png' })
  mimetype!: string;

  @ApiProperty({ example: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==' })
  @IsBase64()
  dataBase64!: string;

  @ApiPropertyOptional({ example: 'photo.png' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  filename?: string;
}

export class SandboxLocationDto {
  @ApiProperty({ example: -22.9068 })
  @IsLatitude()
  latitude!: number;

  @ApiProperty({ example: -43.1729 })
  @IsLongitude()
  longitude!: number;

  @ApiPropertyOptional({ example: 'Loja Centro' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ example: 'Av. Rio Branco, 1 - Centro, Rio de Janeiro' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  address?: string;

  @ApiPropertyOptional({ example: 'https://maps.example.com/?q=-22.9068,-43.1729' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  url?: string;
}

export class SandboxInboundDto {
  @ApiProperty({
    example: '5521988887777',
    description: 'The chat: a contact (number or …@c.us) or a group (…@g.us, declare it first with PUT …/groups)',
  })
  @Matches(CHAT, { message: `from ${CHAT_MESSAGE}` })
  from!: string;

  @ApiPropertyOptional({ example: '5521977776666', description: 'Who wrote it, in a group (required there)' })
  @IsOptional()
  @Matches(CHAT, { message: `author ${CHAT_MESSAGE}` })
  author?: string;

  @ApiPropertyOptional({ example: 'Olá! Vocês abrem no sábado?' })
  @IsOptional()
  @IsString()
  @MaxLength(65_536)
  text?: string;

  @ApiPropertyOptional({ type: SandboxMediaDto, description: 'Image, video, audio or document (type from the mimetype)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SandboxMediaDto)
  media?: SandboxMediaDto;

  @ApiPropertyOptional({ example: 'Segue a foto' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  caption?: string;

  @ApiPropertyOptional({ example: 'true_5521988887777@c.us_3EB0C0FFEE', description: 'Serialized id of the message this one replies to' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  quotedMessageId?: string;

  @ApiPropertyOptional({ type: SandboxLocationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SandboxLocationDto)
  location?: SandboxLocationDto;

  @ApiPropertyOptional({
    type: [String],
    example: ['BEGIN:VCARD\nVERSION:3.0\nFN:Maria Souza\nTEL;type=CELL;waid=5521955554444:+55 21 95555-4444\nEND:VCARD'],
    description: 'Contact cards (vCard 3.0)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  vcards?: string[];

  @ApiPropertyOptional({ example: 'João Silva', description: 'The sender’s profile name (notifyName)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  senderName?: string;

  @ApiPropertyOptional({ type: [String], example: ['5521999999999@c.us'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(CHAT, { each: true, message: `each mention ${CHAT_MESSAGE}` })
  mentions?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  isForwarded?: boolean;

  @ApiPropertyOptional({ example: 'ptt', description: "Overrides the inferred type, e.g. 'ptt' (voice note) or 'sticker'" })
  @IsOptional()
  @IsIn(['chat', 'image', 'video', 'audio', 'ptt', 'document', 'sticker'])
  type?: string;
}

export const SANDBOX_ACKS = ['sent', 'delivered', 'read', 'played'] as const;

export class SandboxAckDto {
  @ApiProperty({ enum: SANDBOX_ACKS, example: 'read' })
  @IsIn(SANDBOX_ACKS)
  ack!: (typeof SANDBOX_ACKS)[number];
}

export class SandboxReactDto {
  @ApiProperty({ example: '👍', description: "The emoji; '' removes the reaction" })
  @IsString()
  @MaxLength(16)
  emoji!: string;

  @ApiPropertyOptional({ example: '5521988887777', description: 'Who reacts (required in groups; default: the contact of the chat)' })
  @IsOptional()
  @Matches(CHAT, { message: `from ${CHAT_MESSAGE}` })
  from?: string;
}

export class SandboxEditDto {
  @ApiProperty({ example: 'Olá! Vocês abrem no domingo?' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(65_536)
  body!: string;
}

export class SandboxGroupDto {
  @ApiProperty({ example: '120363025555555555@g.us' })
  @Matches(/^[\d-]{5,40}@g\.us$/, { message: 'id must be a group id like 120363025555555555@g.us' })
  id!: string;

  @ApiPropertyOptional({ example: 'Clientes VIP' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  subject?: string;

  @ApiPropertyOptional({ type: [String], example: ['5521988887777', '5521977776666'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1024)
  @Matches(CHAT, { each: true, message: `each participant ${CHAT_MESSAGE}` })
  participants?: string[];

  @ApiPropertyOptional({ type: [String], example: ['5521988887777'] })
  @IsOptional()
  @IsArray()
  @Matches(CHAT, { each: true, message: `each admin ${CHAT_MESSAGE}` })
  admins?: string[];
}

export class SandboxGroupEventDto {
  @ApiProperty({ enum: ['add', 'invite', 'remove', 'leave', 'promote', 'demote'], example: 'add' })
  @IsIn(['add', 'invite', 'remove', 'leave', 'promote', 'demote'])
  subtype!: string;

  @ApiProperty({ type: [String], example: ['5521966665555'], description: 'Who joins, leaves, is promoted…' })
  @IsArray()
  @ArrayMaxSize(256)
  @Matches(CHAT, { each: true, message: `each participant ${CHAT_MESSAGE}` })
  participants!: string[];

  @ApiPropertyOptional({ example: '5521988887777', description: 'Who did it (an admin); absent for leave' })
  @IsOptional()
  @Matches(CHAT, { message: `author ${CHAT_MESSAGE}` })
  author?: string;
}

export const SANDBOX_DISCONNECT_STATES = ['UNPAIRED', 'UNPAIRED_IDLE', 'TOS_BLOCK', 'SMB_TOS_BLOCK', 'PROXYBLOCK', 'DEPRECATED_VERSION'] as const;

export class SandboxDisconnectDto {
  @ApiPropertyOptional({
    enum: SANDBOX_DISCONNECT_STATES,
    example: 'UNPAIRED',
    description: 'UNPAIRED (default): the phone removed this device, so the link is gone',
  })
  @IsOptional()
  @IsIn(SANDBOX_DISCONNECT_STATES)
  state?: (typeof SANDBOX_DISCONNECT_STATES)[number];
}
