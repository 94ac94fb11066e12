import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination/pagination';
import { IsIsoDate } from '../../common/validation/iso-date.decorator';
import { IsObjectIdString } from '../../common/validation/is-object-id.decorator';
import { WEBHOOK_EVENT_STATES, WEBHOOK_EVENT_TYPES, type WebhookEventState, type WebhookEventType } from '../webhook-event.types';

const SLUG = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export class ListWebhookEventsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Accepted for the SDK; the key decides the account' })
  @IsOptional()
  @IsString()
  clientIdentifier?: string;

  @ApiPropertyOptional({ example: '64ef5c84f9deb1326965919e' })
  @IsOptional()
  @IsObjectIdString()
  channelId?: string;

  @ApiPropertyOptional({ example: 'karoochat', description: 'Platform slug (endpoint)' })
  @IsOptional()
  @Matches(SLUG, { message: 'platform must be a platform slug' })
  platform?: string;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_TYPES })
  @IsOptional()
  @IsIn(WEBHOOK_EVENT_TYPES)
  type?: WebhookEventType;

  @ApiPropertyOptional({ enum: WEBHOOK_EVENT_STATES })
  @IsOptional()
  @IsIn(WEBHOOK_EVENT_STATES)
  state?: WebhookEventState;

  @ApiPropertyOptional({ example: '2026-01-31T00:00:00Z', description: 'Events recorded at or after this time (an ISO 8601 string; numbers are refused)' })
  @IsOptional()
  @IsIsoDate('since')
  since?: Date;
}

export class ReplayEndpointDto {
  @ApiPropertyOptional({ description: 'Accepted for the SDK; the key decides the account' })
  @IsOptional()
  @IsString()
  clientIdentifier?: string;

  @ApiProperty({ example: '64ef5c84f9deb1326965919e' })
  @IsObjectIdString()
  channelId!: string;

  @ApiProperty({ example: 'karoochat', description: 'Platform slug (endpoint)' })
  @IsString()
  @MaxLength(64)
  @Matches(SLUG, { message: 'platform must be a platform slug' })
  platform!: string;

  @ApiProperty({ example: '2026-01-31T00:00:00Z', description: 'Replay failed and dead events recorded at or after this time (an ISO 8601 string; numbers are refused)' })
  @IsIsoDate('since')
  since!: Date;
}
