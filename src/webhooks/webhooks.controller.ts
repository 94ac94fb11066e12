import { Body, Controller, Get, HttpCode, Param, PipeTransform, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AccountId } from '../common/auth/auth.decorators';
import { AppError } from '../common/errors/app-error';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ListWebhookEventsQuery, ReplayEndpointDto } from './dto/webhook-events.dto';
import { WebhookBulkReplayResponse, WebhookEventDetailResponse, WebhookEventPageResponse, WebhookEventSummaryResponse } from './dto/webhook-log.response';
import { WebhookLogService } from './webhook-log.service';
import { EVENT_ID_PATTERN } from './webhooks.constants';
import { WebhookErrorCode } from './webhooks.errors';

/** A malformed event id cannot name an event: 404 like any unknown one. */
class ParseEventIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!EVENT_ID_PATTERN.test(value)) throw AppError.notFound(WebhookErrorCode.WEBHOOK_EVENT_NOT_FOUND, `Webhook event ${value.slice(0, 64)} not found`);
    return value;
  }
}

@ApiTags('Webhooks')
@ApiBearerAuth('bearer')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly log: WebhookLogService) {}

  @Get('events')
  @ApiOperation({ summary: 'Delivery log: webhook events of the account, newest first, with their delivery state' })
  @ApiOkResponse({ type: WebhookEventPageResponse })
  @ApiErrors('VALIDATION_FAILED', 'PAGE_OUT_OF_RANGE')
  list(@AccountId() clientIdentifier: string, @Query() q: ListWebhookEventsQuery) {
    const { channelId, platform, type, state, since } = q;
    return this.log.list(clientIdentifier, { channelId, platform, type, state, since }, q);
  }

  @Get('events/:eventId')
  @ApiOperation({ summary: 'One event: its payload and every delivery attempt (status, latency, error)' })
  @ApiParam({ name: 'eventId', example: 'evt_3f1c0e9a4b7d2c5e8f0a1b2c3d4e5f60' })
  @ApiOkResponse({ type: WebhookEventDetailResponse })
  @ApiErrors('WEBHOOK_EVENT_NOT_FOUND')
  get(@AccountId() clientIdentifier: string, @Param('eventId', ParseEventIdPipe) eventId: string) {
    return this.log.get(clientIdentifier, eventId);
  }

  @Post('events/:eventId/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Deliver one event again (same webhook-id), whatever its state' })
  @ApiParam({ name: 'eventId', example: 'evt_3f1c0e9a4b7d2c5e8f0a1b2c3d4e5f60' })
  @ApiAcceptedResponse({ type: WebhookEventSummaryResponse, description: 'The event once reopened and queued again: pending, or already further along' })
  @ApiErrors('WEBHOOK_EVENT_NOT_FOUND', 'WEBHOOK_EVENT_IN_FLIGHT', 'WEBHOOK_ENDPOINT_NOT_FOUND', 'WEBHOOK_ENDPOINT_DISABLED')
  replay(@AccountId() clientIdentifier: string, @Param('eventId', ParseEventIdPipe) eventId: string) {
    return this.log.replay(clientIdentifier, eventId);
  }

  @Post('replay')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Deliver again every failed or dead event of one endpoint recorded since a time',
    description: `At most 5,000 events per call, oldest first; \`more: true\` means call again.`,
  })
  @ApiAcceptedResponse({ type: WebhookBulkReplayResponse })
  @ApiErrors('VALIDATION_FAILED', 'CHANNEL_NOT_FOUND', 'WEBHOOK_ENDPOINT_NOT_FOUND', 'WEBHOOK_ENDPOINT_DISABLED')
  replayEndpoint(@AccountId() clientIdentifier: string, @Body() dto: ReplayEndpointDto) {
    return this.log.replayFailed(clientIdentifier, dto.channelId, dto.platform, dto.since);
  }
}
