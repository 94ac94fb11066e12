import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class LocationResponse {
  @ApiProperty() latitude!: number;
  @ApiProperty() longitude!: number;
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional() address?: string;
  @ApiPropertyOptional() url?: string;
}

class MediaResponse {
  @ApiPropertyOptional({ description: 'Stored media id' }) mediaId?: string;
  @ApiProperty({ example: 'application/pdf' }) mimetype!: string;
  @ApiPropertyOptional({ example: 'contrato.pdf' }) filename?: string;
  @ApiPropertyOptional() size?: number;
  @ApiPropertyOptional() sha256?: string;
  @ApiPropertyOptional({ description: 'Audio as a voice note' }) voice?: boolean;
}

class RevokedResponse {
  @ApiProperty() at!: Date;
  @ApiProperty({ enum: ['revoked', 'deleted_for_me'] }) outcome!: string;
  @ApiPropertyOptional() by?: string;
}

class ReactionResponse {
  @ApiProperty() senderId!: string;
  @ApiProperty() emoji!: string;
  @ApiProperty() at!: Date;
}

export class InteractiveReplyResponse {
  @ApiProperty({ enum: ['button_reply', 'list_reply'] }) type!: string;
  @ApiProperty({ example: 'yes', description: 'The id given to the button or row' }) id!: string;
  @ApiProperty({ example: 'Sim' }) title!: string;
  @ApiPropertyOptional() description?: string;
}

export class InteractiveButtonResponse {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
}

export class InteractiveRowResponse extends InteractiveButtonResponse {
  @ApiPropertyOptional() description?: string;
}

export class InteractiveSectionResponse {
  @ApiPropertyOptional() title?: string;
  @ApiProperty({ type: [InteractiveRowResponse] }) rows!: InteractiveRowResponse[];
}

export class InteractiveResponse {
  @ApiProperty({ enum: ['button', 'list', 'cta_url', 'location_request'] }) type!: string;
  @ApiPropertyOptional() header?: string;
  @ApiProperty() body!: string;
  @ApiPropertyOptional() footer?: string;
  @ApiPropertyOptional({ type: [InteractiveButtonResponse] }) buttons?: InteractiveButtonResponse[];
  @ApiPropertyOptional() buttonText?: string;
  @ApiPropertyOptional({ type: [InteractiveSectionResponse] }) sections?: InteractiveSectionResponse[];
  @ApiPropertyOptional() displayText?: string;
  @ApiPropertyOptional() url?: string;
}

export class TemplateResponse {
  @ApiProperty({ example: 'pedido_confirmado' }) name!: string;
  @ApiProperty({ example: 'pt_BR' }) language!: string;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object', additionalProperties: true } }) components?: Record<string, unknown>[];
}

/** A stored message (both directions). */
export class MessageResponse {
  @ApiProperty({ example: '64ef5c85f9deb132696591b2', description: 'Our id: use it to follow, reply to, react to, forward or delete the message' })
  id!: string;
  @ApiProperty() clientIdentifier!: string;
  @ApiProperty() channelId!: string;
  @ApiProperty({ enum: ['inbound', 'outbound'] }) direction!: string;
  @ApiPropertyOptional({ example: 'true_5521999999999@c.us_3EB0C767D82B0A4F1B2F', description: 'Set once WhatsApp took the message' })
  waMessageId?: string;
  @ApiPropertyOptional({ example: 'wamid.HBgNNTUyMTk5OTk5OTk5ORUCABEYEjQ2QjJCMkM4RUE0QjQ0QkUzAA==', description: 'The provider’s id of the message under its provider-neutral name (equal to waMessageId, which stays for compatibility)' })
  providerMessageId?: string;
  @ApiProperty({ example: '5521999999999@c.us' }) chatId!: string;
  @ApiPropertyOptional() contactId?: string;
  @ApiPropertyOptional({ description: 'The conversation (sessionId) it belongs to' }) conversationId?: string;
  @ApiProperty() isGroup!: boolean;
  @ApiPropertyOptional() senderId?: string;
  @ApiPropertyOptional() senderName?: string;
  @ApiProperty() fromMe!: boolean;
  @ApiProperty({ enum: ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'interactive', 'template', 'revoked', 'other'] }) kind!: string;
  @ApiPropertyOptional({ description: 'Text as sent (with the agent name line when shown)' }) body?: string;
  @ApiPropertyOptional() caption?: string;
  @ApiPropertyOptional() quotedWaMessageId?: string;
  @ApiPropertyOptional() isForwarded?: boolean;
  @ApiPropertyOptional({ type: LocationResponse }) location?: LocationResponse;
  @ApiPropertyOptional({ type: [String] }) vcards?: string[];
  @ApiPropertyOptional({ type: MediaResponse }) media?: MediaResponse;
  @ApiPropertyOptional({ type: () => InteractiveResponse, description: 'Official API: the buttons, list, CTA or location request sent (kind interactive)' })
  interactive?: InteractiveResponse;
  @ApiPropertyOptional({ type: () => TemplateResponse, description: 'Official API: the template sent (kind template)' })
  template?: TemplateResponse;
  @ApiPropertyOptional({ type: () => InteractiveReplyResponse, description: 'Official API: the reply button or list row the customer chose (body is its title)' })
  interactiveReply?: InteractiveReplyResponse;
  @ApiProperty({ enum: ['queued', 'sending', 'sent', 'delivered', 'read', 'played', 'failed', 'received'] }) status!: string;
  @ApiPropertyOptional({ description: 'Why it failed (failed), or the last transient error while queued' }) statusReason?: string;
  @ApiPropertyOptional({ description: 'When each status was reached', example: { queued: '2026-01-01T12:00:00.000Z', sent: '2026-01-01T12:00:00.400Z' } })
  statusTimes?: Record<string, Date>;
  @ApiPropertyOptional({ type: RevokedResponse }) revoked?: RevokedResponse;
  @ApiPropertyOptional({ type: [ReactionResponse] }) reactions?: ReactionResponse[];
  @ApiPropertyOptional() agentName?: string;
  @ApiPropertyOptional() platform?: string;
  @ApiProperty() timestamp!: Date;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}

export class MessagePageResponse {
  @ApiProperty({ type: [MessageResponse] }) data!: MessageResponse[];
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() total!: number;
  @ApiProperty() totalPages!: number;
}

export class ReactionResultResponse {
  @ApiProperty({ enum: ['done', 'queued'] }) state!: string;
  @ApiProperty({ type: MessageResponse, description: 'The message reacted to' }) message!: MessageResponse;
  @ApiProperty() emoji!: string;
}

export class DeleteResultResponse {
  @ApiProperty({ enum: ['revoked', 'queued'], description: 'revoked: deleted for everyone; queued: still waiting in the send queue' }) outcome!: string;
  @ApiProperty({ type: MessageResponse }) message!: MessageResponse;
}
