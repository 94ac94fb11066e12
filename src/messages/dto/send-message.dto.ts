import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsObjectIdString } from '../../common/validation/is-object-id.decorator';

/** WhatsApp's own limit on a text message. */
export const MAX_TEXT = 65_536;
export const MAX_CAPTION = 1024;

/** Text or media content: exactly one of `text` and `mediaUri`. */
class ContentFields {
  @ApiPropertyOptional({ example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34', description: 'Must be the key’s account' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  clientIdentifier?: string;

  @ApiPropertyOptional({ example: 'Olá! Como posso ajudá-lo hoje?' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  text?: string;

  @ApiPropertyOptional({ example: 'https://exemplo.com/documento.pdf', description: 'Fetched at once; its kind (image, video, audio, document) comes from its bytes' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  mediaUri?: string;

  @ApiPropertyOptional({ example: 'Segue o contrato', description: 'Media only' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CAPTION)
  caption?: string;

  @ApiPropertyOptional({ example: 'contrato.pdf', description: 'Media only; default: the URL’s file name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  fileName?: string;

  @ApiPropertyOptional({ description: 'Reply to this message: our message id or its WhatsApp id, in the same chat' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  quotedMessageId?: string;

  @ApiPropertyOptional({ default: false, description: 'Official API: show a preview of the first URL of the text (WhatsApp Web decides by itself)' })
  @IsOptional()
  @IsBoolean()
  linkPreview?: boolean;

  @ApiPropertyOptional({ default: true, description: 'Prefix text and captions with the agent name in bold (`*Agent*:` on its own line)' })
  @IsOptional()
  @IsBoolean()
  showAgentName?: boolean;
}

/** SDK guide 5.1, 5.2, 5.3 (`SendMessageDto`) plus reply. */
export class SendMessageDto extends ContentFields {
  @ApiProperty({ example: 'Atendente João' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  agentName!: string;

  @ApiProperty({ example: '64ef5c85f9deb132696591a0', description: 'The conversation (from startConversation)' })
  @IsObjectIdString()
  sessionId!: string;
}

/** SDK guide 6.1, 6.2, 6.3 (`SendPlatformMessagePayload`) plus reply. */
export class SendGroupMessageDto extends ContentFields {
  @ApiPropertyOptional({ example: 'Atendente Maria' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  agentName?: string;

  @ApiProperty({ example: '64ef5c84f9deb1326965919e' })
  @IsObjectIdString()
  channelId!: string;

  @ApiProperty({ example: '120363012345678901@g.us', description: 'The WhatsApp group id' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  recipientNumber!: string;

  @ApiProperty({ example: 'karoochat' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  platform!: string;
}
