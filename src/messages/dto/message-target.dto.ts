import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsObjectIdString } from '../../common/validation/is-object-id.decorator';

/**
 * Where a message goes: a conversation (`sessionId`, SDK 5.x) or a group of a channel (`channelId`,
 * `recipientNumber` = the group id, `platform`, SDK 6.x). Exactly one of the two forms.
 */
export class MessageTargetDto {
  @ApiPropertyOptional({ example: '9a92ea44-244c-4cda-86be-6a9e32ba8f34', description: 'Must be the key’s account' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  clientIdentifier?: string;

  @ApiPropertyOptional({ example: '64ef5c85f9deb132696591a0', description: 'Conversation id (individual or group conversation). Not with channelId/recipientNumber/platform.' })
  @IsOptional()
  @IsObjectIdString()
  sessionId?: string;

  @ApiPropertyOptional({ example: '64ef5c84f9deb1326965919e', description: 'Group sends: the channel' })
  @IsOptional()
  @IsObjectIdString()
  channelId?: string;

  @ApiPropertyOptional({ example: '120363012345678901@g.us', description: 'Group sends: the WhatsApp group id' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  recipientNumber?: string;

  @ApiPropertyOptional({ example: 'karoochat', description: 'Group sends: the platform (slug) sending it' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  platform?: string;

  @ApiPropertyOptional({ example: 'Atendente Maria', description: 'Stored with the message; shown to the customer on text and captions (see showAgentName)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  agentName?: string;
}

/** Targets of kinds that can quote a message (reply). */
export class ReplyableTargetDto extends MessageTargetDto {
  @ApiPropertyOptional({ description: 'Reply to this message: our message id or its WhatsApp id, in the same chat' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  quotedMessageId?: string;
}
