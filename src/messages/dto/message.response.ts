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

/** A stored message (both directions). */
export class MessageResponse {
  @ApiProperty({ example: '64ef5c85f9deb132696591b2', description: 'Our id: use it to follow, reply to, react to, forward or delete the message' })
  id!: string;
  @ApiProperty() clientIdentifier!: string;
  @ApiProperty() channelId!: string;
  @ApiProperty({ enum: ['inbound', 'outbound'] }) direction!: string;
  @ApiPropertyOptional({ example: 'true_5521999999999@c.us_3EB0C767D82B0A4F1B2F', description: 'Set once WhatsApp took the message' })
  waMessageId?: string;
  @ApiProperty({ example: '5521999999999@c.us' }) chatId!: string;
  @ApiPropertyOptional() contactId?: string;
  @ApiPropertyOptional({ description: 'The conversation (sessionId) it belongs to' }) conversationId?: string;
  @ApiProperty() isGroup!: boolean;
  @ApiPropertyOptional() senderId?: string;
  @ApiPropertyOptional() senderName?: string;
  @ApiProperty() fromMe!: boolean;
  @ApiProperty({ enum: ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'revoked', 'other'] }) kind!: string;
  @ApiPropertyOptional({ description: 'Text as sent (with the agent name line when shown)' }) body?: string;
  @ApiPropertyOptional() caption?: string;
  @ApiPropertyOptional() quotedWaMessageId?: string;
  @ApiPropertyOptional() isForwarded?: boolean;
  @ApiPropertyOptional({ type: LocationResponse }) location?: LocationResponse;
  @ApiPropertyOptional({ type: [String] }) vcards?: string[];
  @ApiPropertyOptional({ type: MediaResponse }) media?: MediaResponse;
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
