import { applyDecorators, Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { AccountId } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ParseObjectIdPipe } from '../common/validation/parse-object-id.pipe';
import {
  DeleteMessageDto,
  ForwardMessageDto,
  SendAddressDto,
  SendContactsDto,
  SendInteractiveDto,
  SendLocationDto,
  SendLocationRequestDto, SendTemplateDto,
  SendReactionDto,
  SendStickerDto,
} from './dto/kind-messages.dto';
import { DeleteResultResponse, MessageResponse, ReactionResultResponse } from './dto/message.response';
import {
  ADDRESS_EXAMPLES,
  CONTACTS_EXAMPLES,
  DELETE_EXAMPLES,
  FORWARD_EXAMPLES,
  GROUP_EXAMPLES,
  INTERACTIVE_EXAMPLES,
  LOCATION_EXAMPLES,
  LOCATION_REQUEST_EXAMPLES, TEMPLATE_EXAMPLES,
  REACTION_EXAMPLES,
  SEND_EXAMPLES,
  STICKER_EXAMPLES,
} from './dto/send-examples';
import { SendGroupMessageDto, SendMessageDto } from './dto/send-message.dto';
import { SendGroupMediaMessage, SendGroupTextMessage, SendMediaMessage, SendTextMessage } from './dto/send-message.variants';
import { FailedSendRetry } from './failed-send-retry.service';
import { parseIdempotencyKey } from './idempotency';
import { MessageActionsService } from './message-actions.service';
import { MessageHistoryService } from './message-history.service';
import { Accepted, OutboundMessagesService } from './outbound-messages.service';

const IDEMPOTENCY = applyDecorators(
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retries with the same key return the first stored message (200) instead of sending again (202).',
  }),
  ApiOkResponse({
    type: MessageResponse,
    description: 'A repeated Idempotency-Key: the first message, unchanged; nothing is sent again',
    headers: { 'Idempotent-Replayed': { description: 'Present on a replayed answer', schema: { type: 'string', enum: ['true'] } } },
  }),
);
const SENT_DESCRIPTION =
  '202: stored with status `queued` and enqueued; the message (with its `id`) is returned at once. Follow it with GET /messages/{id} or `message.status` webhooks. 200: a repeated Idempotency-Key; the first message, unchanged.';

/** Sends answer at once with the stored message: 202 when new, 200 when an Idempotency-Key replayed it. */
function answer(res: Response, accepted: Accepted) {
  res.status(accepted.replayed ? 200 : 202);
  if (accepted.replayed) res.setHeader('idempotent-replayed', 'true');
  return accepted.message;
}

/** Text or media: exactly one, so the document says `oneOf` (the DTOs validate it). */
const oneOf = (...models: (new () => object)[]) => ({ oneOf: models.map((m) => ({ $ref: getSchemaPath(m) })) });

export class MarkReadResponse {
  @ApiProperty({ example: '64ef5c85f9deb132696591b2' }) messageId!: string;
  @ApiProperty({ example: true }) read!: boolean;
}

@ApiTags('Messages')
@ApiBearerAuth('bearer')
@ApiExtraModels(SendTextMessage, SendMediaMessage, SendGroupTextMessage, SendGroupMediaMessage)
@Controller('messages')
export class MessagesController {
  constructor(
    private readonly outbound: OutboundMessagesService,
    private readonly actions: MessageActionsService,
    private readonly history: MessageHistoryService,
    private readonly retries: FailedSendRetry,
  ) {}

  @Post('send')
  @IDEMPOTENCY
  @ApiOperation({ summary: 'Send text or media (with caption) to a conversation (SDK 5.1, 5.2, 5.3; reply with quotedMessageId)', description: SENT_DESCRIPTION })
  @ApiAcceptedResponse({ type: MessageResponse })
  @ApiBody({ schema: oneOf(SendTextMessage, SendMediaMessage), examples: SEND_EXAMPLES })
  @ApiErrors('VALIDATION_FAILED', 'INVALID_IDEMPOTENCY_KEY', 'IDEMPOTENCY_KEY_REUSED', 'CONVERSATION_NOT_FOUND', 'CONVERSATION_ENDED', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'UNKNOWN_PLATFORM', 'QUOTED_MESSAGE_NOT_FOUND', 'INVALID_MEDIA_URL', 'MEDIA_URL_FORBIDDEN', 'MEDIA_UNREACHABLE', 'MEDIA_TOO_LARGE', 'MEDIA_EMPTY', 'MEDIA_TYPE_MISMATCH')
  async send(@AccountId() ci: string, @Body() dto: SendMessageDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.outbound.sendContent(ci, 'send', dto, parseIdempotencyKey(key)));
  }

  @Post('group')
  @IDEMPOTENCY
  @ApiOperation({ summary: 'Send text or media (with caption) to a group (SDK 6.1, 6.2, 6.3)', description: SENT_DESCRIPTION })
  @ApiAcceptedResponse({ type: MessageResponse })
  @ApiBody({ schema: oneOf(SendGroupTextMessage, SendGroupMediaMessage), examples: GROUP_EXAMPLES })
  @ApiErrors('VALIDATION_FAILED', 'INVALID_IDEMPOTENCY_KEY', 'IDEMPOTENCY_KEY_REUSED', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'UNKNOWN_PLATFORM', 'INVALID_GROUP_ID', 'QUOTED_MESSAGE_NOT_FOUND', 'INVALID_MEDIA_URL', 'MEDIA_URL_FORBIDDEN', 'MEDIA_UNREACHABLE', 'MEDIA_TOO_LARGE', 'MEDIA_EMPTY', 'MEDIA_TYPE_MISMATCH')
  async group(@AccountId() ci: string, @Body() dto: SendGroupMessageDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.outbound.sendContent(ci, 'group', dto, parseIdempotencyKey(key)));
  }

  @Post('sticker')
  @IDEMPOTENCY
  @ApiOperation({ summary: 'Send a sticker (SDK 5.4, 6.4): a WebP, PNG or JPEG image', description: SENT_DESCRIPTION })
  @ApiAcceptedResponse({ type: MessageResponse })
  @ApiBody({ type: SendStickerDto, examples: STICKER_EXAMPLES })
  @ApiErrors('VALIDATION_FAILED', 'INVALID_IDEMPOTENCY_KEY', 'IDEMPOTENCY_KEY_REUSED', 'CONVERSATION_NOT_FOUND', 'CONVERSATION_ENDED', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'UNKNOWN_PLATFORM', 'INVALID_GROUP_ID', 'INVALID_MEDIA_URL', 'MEDIA_URL_FORBIDDEN', 'MEDIA_UNREACHABLE', 'MEDIA_TOO_LARGE', 'MEDIA_EMPTY', 'MEDIA_TYPE_MISMATCH', 'MEDIA_TYPE_NOT_ALLOWED')
  async sticker(@AccountId() ci: string, @Body() dto: SendStickerDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.outbound.sendSticker(ci, dto, parseIdempotencyKey(key)));
  }

  @Post('contacts')
  @IDEMPOTENCY
  @ApiOperation({ summary: 'Send contact cards (SDK 5.5, 6.5)', description: SENT_DESCRIPTION })
  @ApiAcceptedResponse({ type: MessageResponse })
  @ApiBody({ type: SendContactsDto, examples: CONTACTS_EXAMPLES })
  @ApiErrors('VALIDATION_FAILED', 'INVALID_IDEMPOTENCY_KEY', 'IDEMPOTENCY_KEY_REUSED', 'CONVERSATION_NOT_FOUND', 'CONVERSATION_ENDED', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'UNKNOWN_PLATFORM', 'INVALID_GROUP_ID')
  async contacts(@AccountId() ci: string, @Body() dto: SendContactsDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.outbound.sendContacts(ci, dto, parseIdempotencyKey(key)));
  }

  @Post('location')
  @IDEMPOTENCY
  @ApiOperation({ summary: 'Send a location (SDK 5.8, 6.8)', description: SENT_DESCRIPTION })
  @ApiAcceptedResponse({ type: MessageResponse })
  @ApiBody({ type: SendLocationDto, examples: LOCATION_EXAMPLES })
  @ApiErrors('VALIDATION_FAILED', 'INVALID_IDEMPOTENCY_KEY', 'IDEMPOTENCY_KEY_REUSED', 'CONVERSATION_NOT_FOUND', 'CONVERSATION_ENDED', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'UNKNOWN_PLATFORM', 'INVALID_GROUP_ID')
  async location(@AccountId() ci: string, @Body() dto: SendLocationDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.outbound.sendLocation(ci, dto, 'location', parseIdempotencyKey(key)));
  }

  @Post('address')
  @IDEMPOTENCY
  @ApiOperation({ summary: 'Send an address: a location with a name and an address line (SDK 5.9, 6.9)', description: SENT_DESCRIPTION })
  @ApiAcceptedResponse({ type: MessageResponse })
  @ApiBody({ type: SendAddressDto, examples: ADDRESS_EXAMPLES })
  @ApiErrors('VALIDATION_FAILED', 'INVALID_IDEMPOTENCY_KEY', 'IDEMPOTENCY_KEY_REUSED', 'CONVERSATION_NOT_FOUND', 'CONVERSATION_ENDED', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'UNKNOWN_PLATFORM', 'INVALID_GROUP_ID')
  async address(@AccountId() ci: string, @Body() dto: SendAddressDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.outbound.sendLocation(ci, dto, 'address', parseIdempotencyKey(key)));
  }

  @Post('forward')
  @IDEMPOTENCY
  @ApiOperation({ summary: 'Forward a message of the same channel into a conversation or group (SDK 5.11, 6.11)', description: SENT_DESCRIPTION })
  @ApiAcceptedResponse({ type: MessageResponse })
  @ApiBody({ type: ForwardMessageDto, examples: FORWARD_EXAMPLES })
  @ApiErrors('VALIDATION_FAILED', 'INVALID_IDEMPOTENCY_KEY', 'IDEMPOTENCY_KEY_REUSED', 'CONVERSATION_NOT_FOUND', 'CONVERSATION_ENDED', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'UNKNOWN_PLATFORM', 'INVALID_GROUP_ID', 'MESSAGE_NOT_FOUND', 'MESSAGE_NOT_SENT', 'FORWARD_ACROSS_CHANNELS')
  async forward(@AccountId() ci: string, @Body() dto: ForwardMessageDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.outbound.forward(ci, dto, parseIdempotencyKey(key)));
  }

  @Post('reaction')
  @ApiOperation({
    summary: 'React to a message (SDK 5.6, 6.6); an empty emoji removes the reaction',
    description: 'Runs in the channel’s send queue (after messages accepted before it). 200 once done; 202 when still queued after 30 s.',
  })
  @ApiOkResponse({ type: ReactionResultResponse })
  @ApiAcceptedResponse({ type: ReactionResultResponse, description: 'state queued: still waiting in the send queue after 30 s' })
  @ApiBody({ type: SendReactionDto, examples: REACTION_EXAMPLES })
  @ApiErrors('VALIDATION_FAILED', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'UNKNOWN_PLATFORM', 'MESSAGE_NOT_FOUND', 'MESSAGE_NOT_SENT', 'MESSAGE_ACTION_FAILED')
  async reaction(@AccountId() ci: string, @Body() dto: SendReactionDto, @Res({ passthrough: true }) res: Response) {
    const result = await this.actions.react(ci, dto);
    if (result.state === 'queued') {
      res.status(202);
      return { state: 'queued', message: result.message, emoji: dto.emoji };
    }
    res.status(200);
    return { state: 'done', ...result.value };
  }

  @Post('delete')
  @ApiOperation({
    summary: 'Delete a message for everyone (SDK 5.12, 6.12)',
    description:
      'messageId: ours or WhatsApp’s. channelSlug: a platform of the message’s channel. senderId: who sent it (checked). 200 `revoked`; 422 DELETE_WINDOW_PASSED when WhatsApp only deleted it on this device; 202 when still queued after 30 s.',
  })
  @ApiOkResponse({ type: DeleteResultResponse })
  @ApiAcceptedResponse({ type: DeleteResultResponse, description: 'outcome queued: still waiting in the send queue after 30 s' })
  @ApiBody({ type: DeleteMessageDto, examples: DELETE_EXAMPLES })
  @ApiErrors('VALIDATION_FAILED', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'UNKNOWN_PLATFORM', 'MESSAGE_NOT_FOUND', 'MESSAGE_NOT_SENT', 'SENDER_MISMATCH', 'DELETE_WINDOW_PASSED', 'MESSAGE_ACTION_FAILED')
  async remove(@AccountId() ci: string, @Body() dto: DeleteMessageDto, @Res({ passthrough: true }) res: Response) {
    const result = await this.actions.delete(ci, dto);
    if (result.state === 'queued') {
      res.status(202);
      return { outcome: 'queued', message: result.message };
    }
    res.status(200);
    return result.value;
  }

  @Post('interactive')
  @IDEMPOTENCY
  @ApiOperation({
    summary: 'Interactive reply buttons, list or CTA URL (SDK 5.7, 6.7): official API only',
    description: 'WhatsApp Web answers 422 ENGINE_FEATURE_UNSUPPORTED (details.feature = interactive). Official API: 422 OUTSIDE_SERVICE_WINDOW when the contact has not written in 24 h.',
  })
  @ApiAcceptedResponse({ type: MessageResponse, description: 'On providers that support it' })
  @ApiBody({ type: SendInteractiveDto, examples: INTERACTIVE_EXAMPLES })
  @ApiErrors('VALIDATION_FAILED', 'INVALID_IDEMPOTENCY_KEY', 'IDEMPOTENCY_KEY_REUSED', 'CONVERSATION_NOT_FOUND', 'CONVERSATION_ENDED', 'CHANNEL_NOT_FOUND', 'UNKNOWN_PLATFORM', 'QUOTED_MESSAGE_NOT_FOUND', 'ENGINE_FEATURE_UNSUPPORTED', 'OUTSIDE_SERVICE_WINDOW')
  async interactive(@AccountId() ci: string, @Body() dto: SendInteractiveDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.outbound.sendInteractive(ci, dto, parseIdempotencyKey(key)));
  }

  @Post('location-request')
  @IDEMPOTENCY
  @ApiOperation({ summary: 'Ask for the customer’s location (SDK 5.10, 6.10): official API only', description: 'WhatsApp Web answers 422 ENGINE_FEATURE_UNSUPPORTED (details.feature = location_request).' })
  @ApiAcceptedResponse({ type: MessageResponse, description: 'On providers that support it' })
  @ApiBody({ type: SendLocationRequestDto, examples: LOCATION_REQUEST_EXAMPLES })
  @ApiErrors('VALIDATION_FAILED', 'INVALID_IDEMPOTENCY_KEY', 'IDEMPOTENCY_KEY_REUSED', 'CONVERSATION_NOT_FOUND', 'CONVERSATION_ENDED', 'CHANNEL_NOT_FOUND', 'UNKNOWN_PLATFORM', 'ENGINE_FEATURE_UNSUPPORTED', 'OUTSIDE_SERVICE_WINDOW')
  async locationRequest(@AccountId() ci: string, @Body() dto: SendLocationRequestDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.outbound.sendLocationRequest(ci, dto, parseIdempotencyKey(key)));
  }

  @Post('template')
  @IDEMPOTENCY
  @ApiOperation({
    summary: 'Send an approved message template (official API only)',
    description: 'The only kind allowed outside the 24 h customer service window. 422 TEMPLATE_NOT_FOUND unless the account has it APPROVED in that language.',
  })
  @ApiAcceptedResponse({ type: MessageResponse })
  @ApiBody({ type: SendTemplateDto, examples: TEMPLATE_EXAMPLES })
  @ApiErrors('VALIDATION_FAILED', 'INVALID_IDEMPOTENCY_KEY', 'IDEMPOTENCY_KEY_REUSED', 'CONVERSATION_NOT_FOUND', 'CONVERSATION_ENDED', 'CHANNEL_NOT_FOUND', 'UNKNOWN_PLATFORM', 'ENGINE_FEATURE_UNSUPPORTED', 'TEMPLATE_NOT_FOUND', 'PROVIDER_REQUEST_FAILED')
  async template(@AccountId() ci: string, @Body() dto: SendTemplateDto, @Headers('idempotency-key') key: string | undefined, @Res({ passthrough: true }) res: Response) {
    return answer(res, await this.outbound.sendTemplate(ci, dto, parseIdempotencyKey(key)));
  }

  @Post(':messageId/retry')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a failed message again, keeping its id',
    description:
      'Only a message whose status is `failed` (sent through the API): it goes back on its channel’s send queue (status `queued`, its failure reason cleared) and is sent like a new message; `message.status` webhooks follow (`queued` after `failed`, then `sent`, or `failed` again with the reason), each carrying `retry` (1, 2…). Any failure reason may be retried; one whose cause remains fails again. 409 MESSAGE_NOT_RETRYABLE when the message is not failed (queued, sent…) or was received; 422 CHANNEL_NOT_READY when its session is not connected.',
  })
  @ApiAcceptedResponse({ type: MessageResponse })
  @ApiErrors('INVALID_ID', 'MESSAGE_NOT_FOUND', 'MESSAGE_NOT_RETRYABLE', 'CHANNEL_NOT_READY')
  retry(@AccountId() ci: string, @Param('messageId', ParseObjectIdPipe) messageId: string) {
    return this.retries.retry(ci, messageId);
  }

  @Post(':messageId/read')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mark a received message as read (official API: the customer sees blue ticks)',
    description: 'Only inbound messages. WhatsApp Web channels answer 422 ENGINE_FEATURE_UNSUPPORTED (details.feature = mark_read).',
  })
  @ApiOkResponse({ type: MarkReadResponse })
  @ApiErrors('INVALID_ID', 'MESSAGE_NOT_FOUND', 'MESSAGE_NOT_INBOUND', 'ENGINE_FEATURE_UNSUPPORTED', 'MESSAGE_ACTION_FAILED')
  markRead(@AccountId() ci: string, @Param('messageId', ParseObjectIdPipe) messageId: string) {
    return this.actions.markRead(ci, messageId);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a message (status, WhatsApp id, reactions, revoke…)' })
  @ApiOkResponse({ type: MessageResponse })
  @ApiErrors('INVALID_ID', 'MESSAGE_NOT_FOUND')
  get(@AccountId() ci: string, @Param('id', ParseObjectIdPipe) id: string) {
    return this.history.get(ci, id);
  }
}
