import { ROUTING_ERRORS } from '../sessions/sessions.controller';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AccountId } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { LOOSE_OBJECT } from '../../openapi/api-responses';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe';
import { SessionStatusResponse } from '../sessions/dto/session.dto';
import { statusResponse } from '../sessions/session-views';
import {
  SandboxAckDto,
  SandboxDisconnectDto,
  SandboxEditDto,
  SandboxGroupDto,
  SandboxGroupEventDto,
  SandboxInboundDto,
  SandboxLinkDto,
  SandboxReactDto,
} from './dto/sandbox.dto';
import { SandboxControlService } from './sandbox-control.service';

const TAG = 'Sandbox (WHATSAPP_ENGINE=sandbox only)';
const NOTE =
  ' Acts on the offline WhatsApp Web sandbox of a running session, as the phone and the contacts would. ' +
  '422 CHANNEL_NOT_READY before linking, 422 SANDBOX_ACTION_FAILED with the sandbox’s reason, 503 SESSION_NOT_LOCAL.';

/**
 * Lets tests and platform developers play the phone and the contacts against the offline
 * sandbox. WhatsappModule registers this controller only when WHATSAPP_ENGINE=sandbox: in
 * production mode the routes do not exist (404).
 */
@ApiTags(TAG)
@ApiBearerAuth('bearer')
@Controller('sandbox/channels/:channelId')
export class SandboxControlController {
  constructor(private readonly sandbox: SandboxControlService) {}

  @Post('link')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Link the channel as if its QR were scanned (or its pairing code typed)',
    description: 'Starts the session if needed, links it and waits until READY.' + NOTE,
  })
  @ApiOkResponse({ type: SessionStatusResponse })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'SANDBOX_SESSION_NOT_RUNNING', 'SANDBOX_ACTION_FAILED', ...ROUTING_ERRORS)
  async link(@AccountId() account: string, @Param('channelId', ParseObjectIdPipe) channelId: string, @Body() dto: SandboxLinkDto) {
    const result = await this.sandbox.routed.link(account, channelId, dto);
    return { ...statusResponse(result), alreadyLinked: result.alreadyLinked };
  }

  @Post('inbound')
  @ApiOperation({
    summary: 'Deliver a message from a contact or a group member',
    description: 'Text, media (base64), location, contact cards, replies, mentions. Returns the WhatsApp message id.' + NOTE,
  })
  @ApiCreatedResponse({ schema: { type: 'object', properties: { messageId: { type: 'string' } }, required: ['messageId'], example: { messageId: 'false_5521988887777@c.us_3EB0A1B2C3D4E5F6A7B8C9D0E1F2A3B4' } } })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'SANDBOX_SESSION_NOT_RUNNING', 'SANDBOX_ACTION_FAILED', ...ROUTING_ERRORS)
  inbound(@AccountId() account: string, @Param('channelId', ParseObjectIdPipe) channelId: string, @Body() dto: SandboxInboundDto) {
    return this.sandbox.routed.inbound(account, channelId, dto);
  }

  @Get('outbox')
  @ApiOperation({
    summary: 'Everything the session sent, in order',
    description: 'Messages, reactions, revokes and edits the server made through WhatsApp.' + NOTE,
  })
  @ApiOkResponse({ schema: { type: 'array', items: LOOSE_OBJECT }, description: 'What the session sent, oldest first' })
  @ApiQuery({ name: 'includeMedia', required: false, type: Boolean, description: 'Add each media payload as base64' })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'SANDBOX_SESSION_NOT_RUNNING', 'SANDBOX_ACTION_FAILED', ...ROUTING_ERRORS)
  outbox(@AccountId() account: string, @Param('channelId', ParseObjectIdPipe) channelId: string, @Query('includeMedia') includeMedia?: string) {
    return this.sandbox.routed.outbox(account, channelId, includeMedia === 'true' || includeMedia === '1');
  }

  @Delete('outbox')
  @ApiOperation({ summary: 'Empty the outbox' })
  @ApiOkResponse({ schema: { type: 'object', properties: { cleared: { type: 'integer' } }, required: ['cleared'] } })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'SANDBOX_SESSION_NOT_RUNNING', 'SANDBOX_ACTION_FAILED', ...ROUTING_ERRORS)
  clearOutbox(@AccountId() account: string, @Param('channelId', ParseObjectIdPipe) channelId: string) {
    return this.sandbox.routed.clearOutbox(account, channelId);
  }

  @Post('messages/:messageId/ack')
  @HttpCode(204)
  @ApiOperation({ summary: 'Move the ack of a sent message (sent, delivered, read, played)' })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'SANDBOX_SESSION_NOT_RUNNING', 'SANDBOX_ACTION_FAILED', ...ROUTING_ERRORS)
  async ack(
    @AccountId() account: string,
    @Param('channelId', ParseObjectIdPipe) channelId: string,
    @Param('messageId') messageId: string,
    @Body() dto: SandboxAckDto,
  ): Promise<void> {
    await this.sandbox.routed.ack(account, channelId, messageId, dto.ack);
  }

  @Post('messages/:messageId/revoke')
  @HttpCode(204)
  @ApiOperation({ summary: 'The sender deletes the message for everyone' })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'SANDBOX_SESSION_NOT_RUNNING', 'SANDBOX_ACTION_FAILED', ...ROUTING_ERRORS)
  async revoke(@AccountId() account: string, @Param('channelId', ParseObjectIdPipe) channelId: string, @Param('messageId') messageId: string): Promise<void> {
    await this.sandbox.routed.revoke(account, channelId, messageId);
  }

  @Post('messages/:messageId/react')
  @ApiOperation({ summary: "A contact reacts to a message ('' removes the reaction)" })
  @ApiCreatedResponse({ schema: { type: 'object', properties: { reactionId: { type: 'string' } }, required: ['reactionId'] } })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'SANDBOX_SESSION_NOT_RUNNING', 'SANDBOX_ACTION_FAILED', ...ROUTING_ERRORS)
  react(
    @AccountId() account: string,
    @Param('channelId', ParseObjectIdPipe) channelId: string,
    @Param('messageId') messageId: string,
    @Body() dto: SandboxReactDto,
  ) {
    return this.sandbox.routed.react(account, channelId, messageId, dto);
  }

  @Post('messages/:messageId/edit')
  @HttpCode(204)
  @ApiOperation({ summary: 'The sender edits the text (or caption) of a message' })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'SANDBOX_SESSION_NOT_RUNNING', 'SANDBOX_ACTION_FAILED', ...ROUTING_ERRORS)
  async edit(
    @AccountId() account: string,
    @Param('channelId', ParseObjectIdPipe) channelId: string,
    @Param('messageId') messageId: string,
    @Body() dto: SandboxEditDto,
  ): Promise<void> {
    await this.sandbox.routed.edit(account, channelId, messageId, dto.body);
  }

  @Put('groups')
  @HttpCode(204)
  @ApiOperation({ summary: 'Declare a group the linked account is in (or replace its members)' })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'SANDBOX_SESSION_NOT_RUNNING', 'SANDBOX_ACTION_FAILED', ...ROUTING_ERRORS)
  async group(@AccountId() account: string, @Param('channelId', ParseObjectIdPipe) channelId: string, @Body() dto: SandboxGroupDto): Promise<void> {
    await this.sandbox.routed.upsertGroup(account, channelId, dto);
  }

  @Post('groups/:groupId/events')
  @ApiOperation({ summary: 'A group change: members added, removed, leaving, promoted or demoted' })
  @ApiCreatedResponse({ schema: { type: 'object', properties: { notificationId: { type: 'string' } }, required: ['notificationId'] } })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'SANDBOX_SESSION_NOT_RUNNING', 'SANDBOX_ACTION_FAILED', ...ROUTING_ERRORS)
  groupEvent(
    @AccountId() account: string,
    @Param('channelId', ParseObjectIdPipe) channelId: string,
    @Param('groupId') groupId: string,
    @Body() dto: SandboxGroupEventDto,
  ) {
    return this.sandbox.routed.groupEvent(account, channelId, groupId, dto);
  }

  @Post('disconnect')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lose the connection (default UNPAIRED: the phone removed this device)' })
  @ApiOkResponse({ type: SessionStatusResponse })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'SANDBOX_SESSION_NOT_RUNNING', 'SANDBOX_ACTION_FAILED', ...ROUTING_ERRORS)
  async disconnect(@AccountId() account: string, @Param('channelId', ParseObjectIdPipe) channelId: string, @Body() dto: SandboxDisconnectDto) {
    return statusResponse(await this.sandbox.routed.disconnect(account, channelId, dto.state ?? 'UNPAIRED'));
  }

  @Post('conflict')
  @HttpCode(200)
  @ApiOperation({ summary: 'Another WhatsApp Web opened this session (CONFLICT); the server reconnects' })
  @ApiOkResponse({ type: SessionStatusResponse })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'SANDBOX_SESSION_NOT_RUNNING', 'SANDBOX_ACTION_FAILED', ...ROUTING_ERRORS)
  async conflict(@AccountId() account: string, @Param('channelId', ParseObjectIdPipe) channelId: string) {
    return statusResponse(await this.sandbox.routed.conflict(account, channelId));
  }

  @Post('phone-logout')
  @HttpCode(200)
  @ApiOperation({ summary: 'The phone logs this device out (Linked devices › Log out)' })
  @ApiOkResponse({ type: SessionStatusResponse })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'SANDBOX_SESSION_NOT_RUNNING', 'SANDBOX_ACTION_FAILED', ...ROUTING_ERRORS)
  async phoneLogout(@AccountId() account: string, @Param('channelId', ParseObjectIdPipe) channelId: string) {
    return statusResponse(await this.sandbox.routed.phoneLogout(account, channelId));
  }

  @Get('state')
  @ApiOperation({ summary: "The sandbox page's own view: socket state, linked number, pending pairing code" })
  @ApiOkResponse({ schema: LOOSE_OBJECT })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'SANDBOX_SESSION_NOT_RUNNING', 'SANDBOX_ACTION_FAILED', ...ROUTING_ERRORS)
  state(@AccountId() account: string, @Param('channelId', ParseObjectIdPipe) channelId: string) {
    return this.sandbox.routed.pageState(account, channelId);
  }
}
