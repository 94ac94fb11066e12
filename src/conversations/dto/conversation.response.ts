import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ConversationResponse {
  @ApiProperty({ example: '64ef5c85f9deb132696591a0' })
  id!: string;

  @ApiProperty({ example: '64ef5c85f9deb132696591a0', description: 'Same as id: what messages are sent to (SDK `sessionId`)' })
  sessionId!: string;

  @ApiProperty()
  clientIdentifier!: string;

  @ApiProperty({ example: 'whatsappweb' })
  service!: string;

  @ApiProperty()
  channelId!: string;

  @ApiProperty()
  platformConfigId!: string;

  @ApiProperty()
  contactId!: string;

  @ApiProperty({ example: '5521999999999' })
  clientProviderId!: string;

  @ApiProperty({ example: '5521999999999@c.us' })
  chatId!: string;

  @ApiProperty()
  isGroup!: boolean;

  @ApiProperty({ example: 'karoochat' })
  platform!: string;

  @ApiPropertyOptional({ example: 'João Silva' })
  userName?: string;

  @ApiPropertyOptional({ example: 'Minha Empresa Ltda' })
  companyName?: string;

  @ApiProperty()
  sessionWithPriority!: boolean;

  @ApiProperty({ enum: ['open', 'ended'] })
  status!: string;

  @ApiPropertyOptional()
  endedAt?: Date;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;
}

export class StartConversationResponse extends ConversationResponse {
  @ApiProperty({ description: 'false when an open conversation for this channel, contact and platform was returned' })
  created!: boolean;
}

export class ConversationPageResponse {
  @ApiProperty({ type: [ConversationResponse] })
  data!: ConversationResponse[];
  @ApiProperty() page!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() total!: number;
  @ApiProperty() totalPages!: number;
}
