import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { MAX_CAPTION, MAX_TEXT } from './send-message.dto';

/**
 * The alternatives of POST /messages/send and /messages/group as the OpenAPI document shows them
 * (`oneOf`): text, or media with an optional caption. Documentation only: SendMessageDto and
 * SendGroupMessageDto validate, and refuse a body with both `text` and `mediaUri`.
 */
class ConversationTarget {
  @ApiPropertyOptional({ description: 'Must be the key’s account' })
  clientIdentifier?: string;

  @ApiProperty({ example: 'Atendente João', maxLength: 100 })
  agentName!: string;

  @ApiProperty({ example: '64ef5c85f9deb132696591a0', description: 'The conversation (from startConversation)' })
  sessionId!: string;

  @ApiPropertyOptional({ description: 'Reply to this message: our message id or its WhatsApp id, in the same chat' })
  quotedMessageId?: string;

  @ApiPropertyOptional({ default: true, description: 'Prefix text and captions with the agent name in bold (`*Agent*:` on its own line)' })
  showAgentName?: boolean;
}

class GroupTarget {
  @ApiPropertyOptional({ description: 'Must be the key’s account' })
  clientIdentifier?: string;

  @ApiPropertyOptional({ example: 'Atendente Maria', maxLength: 100 })
  agentName?: string;

  @ApiProperty({ example: '64ef5c84f9deb1326965919e' })
  channelId!: string;

  @ApiProperty({ example: '120363012345678901@g.us', description: 'The WhatsApp group id' })
  recipientNumber!: string;

  @ApiProperty({ example: 'karoochat' })
  platform!: string;

  @ApiPropertyOptional({ description: 'Reply to this message: our message id or its WhatsApp id, in the same chat' })
  quotedMessageId?: string;

  @ApiPropertyOptional({ default: true, description: 'Prefix text and captions with the agent name in bold' })
  showAgentName?: boolean;
}

const TEXT = { example: 'Olá! Como posso ajudá-lo hoje?', maxLength: MAX_TEXT };
const MEDIA_URI = { example: 'https://exemplo.com/contrato.pdf', description: 'Fetched at once; its kind (image, video, audio, document) comes from its bytes' };

class TextContent {
  @ApiProperty(TEXT)
  text!: string;

  @ApiPropertyOptional({ default: false, description: 'Official API: show a preview of the first URL of the text (WhatsApp Web decides by itself)' })
  linkPreview?: boolean;
}

class MediaContent {
  @ApiProperty(MEDIA_URI)
  mediaUri!: string;

  @ApiPropertyOptional({ example: 'Segue o contrato', maxLength: MAX_CAPTION })
  caption?: string;

  @ApiPropertyOptional({ example: 'contrato.pdf', description: 'Default: the URL’s file name' })
  fileName?: string;
}

// One content class per kind, combined with each target: the four schemas stay named for the document.
export class SendTextMessage extends IntersectionType(ConversationTarget, TextContent) {}
export class SendMediaMessage extends IntersectionType(ConversationTarget, MediaContent) {}
export class SendGroupTextMessage extends IntersectionType(GroupTarget, TextContent) {}
export class SendGroupMediaMessage extends IntersectionType(GroupTarget, MediaContent) {}
