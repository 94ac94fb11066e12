import { Body, Controller, Get, HttpCode, MessageEvent, Param, Post, Res, Sse, StreamableFile, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Observable } from 'rxjs';
import { AccountId, CurrentPrincipal } from '../../common/auth/auth.decorators';
import { CredentialWatch } from '../../common/auth/credential-watch';
import type { Principal } from '../../common/auth/principal';
import { ApiOkContent } from '../../openapi/api-responses';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe';
import { ChannelDirectory } from './channel-directory';
import { ChannelStreamGuard } from './channel-stream.guard';
import { PairingCodeDto, PairingCodeResponse, SessionQrResponse, SessionStatusResponse } from './dto/session.dto';
import { SessionManager } from './session-manager';
import { SessionStreams } from './session-streams';
import { statusResponse } from './session-views';

const STATE_DOC =
  'States: STOPPED, STARTING, QR (waiting for a scan), AUTHENTICATED, READY, DISCONNECTED (restart scheduled), FAILED, LOGGED_OUT. ' +
  'Any server process answers: a command runs in the process that runs the session (forwarded there). ' +
  '503 with Retry-After while the session moves between processes (SESSION_MOVING), when its process does not answer ' +
  '(SESSION_OWNER_UNREACHABLE) or when every process is full or draining (NO_SESSION_CAPACITY).';

/** What a routed session command may answer besides its own errors. */
export const ROUTING_ERRORS = ['SESSION_NOT_LOCAL', 'SESSION_MOVING', 'SESSION_OWNER_UNREACHABLE', 'NO_SESSION_CAPACITY'] as const;

@ApiTags('WhatsApp sessions')
@ApiBearerAuth('bearer')
@Controller('channels/:channelId/session')
export class SessionsController {
  constructor(
    private readonly manager: SessionManager,
    private readonly streams: SessionStreams,
    private readonly directory: ChannelDirectory,
    private readonly credentials: CredentialWatch,
  ) {}

  @Get()
  @ApiOperation({ summary: "The channel's WhatsApp Web session status", description: STATE_DOC })
  @ApiOkResponse({ type: SessionStatusResponse })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND')
  async status(@AccountId() clientIdentifier: string, @Param('channelId', ParseObjectIdPipe) channelId: string) {
    await this.directory.getById(clientIdentifier, channelId);
    return statusResponse(await this.manager.status(clientIdentifier, channelId));
  }

  @Post('start')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start the session (idempotent)',
    description: 'Launches the browser: a linked channel becomes READY without a scan, otherwise a QR appears. ' + STATE_DOC,
  })
  @ApiOkResponse({ type: SessionStatusResponse })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND', ...ROUTING_ERRORS)
  async start(@AccountId() clientIdentifier: string, @Param('channelId', ParseObjectIdPipe) channelId: string) {
    return statusResponse(await this.manager.commands.start(clientIdentifier, channelId));
  }

  @Post('stop')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop the session', description: 'Closes the browser and keeps the link; boot will not restore it until started again.' })
  @ApiOkResponse({ type: SessionStatusResponse })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND', ...ROUTING_ERRORS)
  async stop(@AccountId() clientIdentifier: string, @Param('channelId', ParseObjectIdPipe) channelId: string) {
    return statusResponse(await this.manager.commands.stop(clientIdentifier, channelId));
  }

  @Post('restart')
  @HttpCode(200)
  @ApiOperation({ summary: 'Restart the session (close the browser, start again)' })
  @ApiOkResponse({ type: SessionStatusResponse })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND', ...ROUTING_ERRORS)
  async restart(@AccountId() clientIdentifier: string, @Param('channelId', ParseObjectIdPipe) channelId: string) {
    return statusResponse(await this.manager.commands.restart(clientIdentifier, channelId));
  }

  @Post('logout')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Log out (unlink the device)',
    description: 'Unlinks this device from the WhatsApp account and deletes its auth data; the next start shows a QR.',
  })
  @ApiOkResponse({ type: SessionStatusResponse })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND', ...ROUTING_ERRORS)
  async logout(@AccountId() clientIdentifier: string, @Param('channelId', ParseObjectIdPipe) channelId: string) {
    return statusResponse(await this.manager.commands.logout(clientIdentifier, channelId));
  }

  @Get('qr')
  @ApiOperation({ summary: 'The QR on screen, as raw text', description: '404 QR_NOT_AVAILABLE unless the state is QR.' })
  @ApiOkResponse({ type: SessionQrResponse })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND', 'QR_NOT_AVAILABLE')
  async qr(@AccountId() clientIdentifier: string, @Param('channelId', ParseObjectIdPipe) channelId: string) {
    await this.directory.getById(clientIdentifier, channelId);
    return this.streams.qr(clientIdentifier, channelId);
  }

  @Get('qr.png')
  @ApiOperation({ summary: 'The QR on screen, as a PNG image', description: '404 QR_NOT_AVAILABLE unless the state is QR.' })
  @ApiOkContent('image/png', 'PNG image')
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND', 'QR_NOT_AVAILABLE')
  async qrPng(
    @AccountId() clientIdentifier: string,
    @Param('channelId', ParseObjectIdPipe) channelId: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.directory.getById(clientIdentifier, channelId);
    const png = await this.streams.qrPng(clientIdentifier, channelId);
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(png, { type: 'image/png', length: png.length });
  }

  @Post('pairing-code')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Link by phone number: get an 8-character pairing code',
    description:
      'The alternative to scanning the QR: on the phone, WhatsApp › Linked devices › Link a device › Link with phone number instead. ' +
      'Starts the session if needed. 409 SESSION_ALREADY_CONNECTED, 422 SESSION_NOT_WAITING_FOR_LINK or PAIRING_CODE_FAILED.',
  })
  @ApiOkResponse({ type: PairingCodeResponse })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'CHANNEL_NOT_FOUND', 'SESSION_ALREADY_CONNECTED', 'SESSION_NOT_WAITING_FOR_LINK', 'PAIRING_CODE_FAILED', ...ROUTING_ERRORS)
  async pairingCode(
    @AccountId() clientIdentifier: string,
    @Param('channelId', ParseObjectIdPipe) channelId: string,
    @Body() dto: PairingCodeDto,
  ): Promise<PairingCodeResponse> {
    const code = await this.manager.commands.requestPairingCode(clientIdentifier, channelId, dto.phoneNumber);
    return { code, formatted: formatPairingCode(code) };
  }

  @Sse('events')
  @UseGuards(ChannelStreamGuard)
  @ApiOperation({
    summary: 'Live status (Server-Sent Events)',
    description:
      'Event `status` with `{ channelId, state, reason?, me?, linked, qr?, qrRevision?, qrExpiresAt?, pairingCode?, retryAt?, updatedAt }`: ' +
      'the current status first, then each change and each new QR. Send the API key in a header (use fetch-based SSE, ' +
      "not the browser's EventSource); browsers without a key use the onboarding link's stream. " +
      'The stream ends when its key is revoked (within 30 s; at once on the process that revoked it).',
  })
  @ApiOkContent('text/event-stream', 'Server-Sent Events: `status` events, the current status first')
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND')
  events(
    @AccountId() clientIdentifier: string,
    @CurrentPrincipal() principal: Principal,
    @Param('channelId', ParseObjectIdPipe) channelId: string,
  ): Observable<MessageEvent> {
    // Ownership was checked by ChannelStreamGuard, before the stream's headers went out.
    return this.streams.stream(clientIdentifier, channelId, true).pipe(this.credentials.whileValid(principal));
  }
}

export function formatPairingCode(code: string): string {
  return code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}
