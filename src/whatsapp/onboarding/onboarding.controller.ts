import { ROUTING_ERRORS } from '../sessions/sessions.controller';
import { Body, Controller, Get, Headers, HttpCode, MessageEvent, Param, Post, Query, Res, Sse, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExcludeEndpoint,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { randomBytes } from 'node:crypto';
import { Observable } from 'rxjs';
import { AccountId, Public } from '../../common/auth/auth.decorators';
import { AppError } from '../../common/errors/app-error';
import { ApiOkContent } from '../../openapi/api-responses';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe';
import { PairingCodeDto, PairingCodeResponse, SessionStatusResponse } from '../sessions/dto/session.dto';
import { SessionManager } from '../sessions/session-manager';
import { SessionStreams } from '../sessions/session-streams';
import { statusResponse } from '../sessions/session-views';
import { formatPairingCode } from '../sessions/sessions.controller';
import { WhatsappErrorCode } from '../whatsapp.errors';
import { ChannelOnboardingLinkDto, OnboardingLinkDto, OnboardingLinkResponse } from './dto/onboarding.dto';
import { onboardingCsp, pickLang, renderOnboardingError, renderOnboardingPage } from './onboarding-page';
import { OnboardingService } from './onboarding.service';

@ApiTags('WhatsApp onboarding')
@ApiBearerAuth('bearer')
@Controller()
export class OnboardingLinksController {
  constructor(private readonly onboarding: OnboardingService) {}

  @Post('channels/:channelId/onboarding-link')
  @ApiOperation({
    summary: 'Issue a signed onboarding link (SDK 1.2 popup)',
    description:
      'A short-lived link to a page that shows the live QR, a pairing-code alternative and the connected state, and tells ' +
      'its opener through window.postMessage. Starts the session if it is not running.',
  })
  @ApiCreatedResponse({ type: OnboardingLinkResponse })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'CHANNEL_NOT_FOUND', ...ROUTING_ERRORS)
  async forChannel(
    @AccountId() clientIdentifier: string,
    @Param('channelId', ParseObjectIdPipe) channelId: string,
    @Body() dto: ChannelOnboardingLinkDto,
  ) {
    const channel = await this.onboarding.resolveChannel(clientIdentifier, { channelId });
    return this.onboarding.issue(clientIdentifier, channel, dto.origin);
  }

  @Post('onboarding/links')
  @ApiOperation({
    summary: 'Issue a signed onboarding link from the SDK props',
    description: 'Same as /channels/:channelId/onboarding-link, naming the channel by channelId or platformConfigId.',
  })
  @ApiCreatedResponse({ type: OnboardingLinkResponse })
  @ApiErrors('VALIDATION_FAILED', 'CHANNEL_NOT_FOUND', 'PLATFORM_CONFIG_NOT_FOUND', ...ROUTING_ERRORS)
  async fromProps(@AccountId() clientIdentifier: string, @Body() dto: OnboardingLinkDto) {
    const channel = await this.onboarding.resolveChannel(clientIdentifier, dto);
    if (dto.providerId && dto.providerId.replace(/\D/g, '') !== channel.provider.clientNumber.replace(/\D/g, ''))
      throw AppError.badRequest('VALIDATION_FAILED', 'providerId is not the clientNumber of this channel', [
        { field: 'providerId', messages: ['providerId must be the channel clientNumber'] },
      ]);
    return this.onboarding.issue(clientIdentifier, channel, dto.origin);
  }
}

/** The page behind an onboarding link and its token-authenticated endpoints (no API key). */
@ApiTags('WhatsApp onboarding')
@Public()
@Controller('onboarding/:token')
export class OnboardingPageController {
  constructor(
    private readonly onboarding: OnboardingService,
    private readonly manager: SessionManager,
    private readonly streams: SessionStreams,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The onboarding page (HTML, made to open in a popup)' })
  @ApiParam({ name: 'token', description: 'From POST /channels/{channelId}/onboarding-link' })
  @ApiOkContent('text/html', 'The page (an error page with 401 or 410 when the link is not valid or has expired)')
  async page(
    @Param('token') token: string,
    @Query('lang') lang: string | undefined,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const nonce = randomBytes(16).toString('base64');
    const language = pickLang(lang, acceptLanguage);
    res.setHeader('Content-Security-Policy', onboardingCsp(nonce));
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type('html');
    try {
      const grant = this.onboarding.verify(token, false);
      const channel = await this.onboarding.channelOf(grant);
      res.send(
        renderOnboardingPage({
          nonce,
          lang: language,
          base: `/onboarding/${encodeURIComponent(token)}`,
          channelId: channel.id,
          clientNumber: channel.provider.clientNumber,
          targetOrigin: grant.origin ?? '*',
        }),
      );
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      res.status(err.status).send(renderOnboardingError({ nonce, lang: language, code: err.code, expired: err.code === WhatsappErrorCode.ONBOARDING_LINK_EXPIRED }));
    }
  }

  @Get('status')
  @ApiOperation({ summary: 'Session status for the onboarding page' })
  @ApiOkResponse({ type: SessionStatusResponse })
  @ApiErrors('ONBOARDING_LINK_INVALID', 'ONBOARDING_LINK_EXPIRED', 'CHANNEL_NOT_FOUND')
  async status(@Param('token') token: string) {
    const grant = this.onboarding.verify(token, true);
    return statusResponse(await this.manager.status(grant.clientIdentifier, grant.channelId));
  }

  @Sse('events')
  @ApiOperation({ summary: 'Live status for the onboarding page (SSE `status` events, without the QR text)' })
  @ApiOkContent('text/event-stream', 'Server-Sent Events: `status` events, without the QR text')
  @ApiErrors('ONBOARDING_LINK_INVALID', 'ONBOARDING_LINK_EXPIRED', 'CHANNEL_NOT_FOUND')
  events(@Param('token') token: string): Observable<MessageEvent> {
    const grant = this.onboarding.verify(token, true);
    return this.streams.stream(grant.clientIdentifier, grant.channelId, false);
  }

  @Get('qr.png')
  @ApiOperation({ summary: 'The QR on screen as PNG, for the onboarding page' })
  @ApiOkContent('image/png', 'PNG image')
  @ApiErrors('ONBOARDING_LINK_INVALID', 'ONBOARDING_LINK_EXPIRED', 'CHANNEL_NOT_FOUND', 'QR_NOT_AVAILABLE')
  async qr(@Param('token') token: string, @Res({ passthrough: true }) res: Response) {
    const grant = this.onboarding.verify(token, true);
    const png = await this.streams.qrPng(grant.clientIdentifier, grant.channelId);
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(png, { type: 'image/png', length: png.length });
  }

  @Post('pairing-code')
  @HttpCode(200)
  @ApiOperation({ summary: 'A pairing code for the onboarding page' })
  @ApiOkResponse({ type: PairingCodeResponse })
  @ApiErrors('VALIDATION_FAILED', 'ONBOARDING_LINK_INVALID', 'ONBOARDING_LINK_EXPIRED', 'CHANNEL_NOT_FOUND', 'SESSION_ALREADY_CONNECTED', 'SESSION_NOT_WAITING_FOR_LINK', 'PAIRING_CODE_FAILED', ...ROUTING_ERRORS)
  async pairingCode(@Param('token') token: string, @Body() dto: PairingCodeDto): Promise<PairingCodeResponse> {
    const grant = this.onboarding.verify(token, true);
    const code = await this.manager.commands.requestPairingCode(grant.clientIdentifier, grant.channelId, dto.phoneNumber);
    return { code, formatted: formatPairingCode(code) };
  }

  @Post('start')
  @HttpCode(200)
  @ApiExcludeEndpoint()
  async start(@Param('token') token: string) {
    const grant = this.onboarding.verify(token, true);
    return statusResponse(await this.onboarding.ensureStarted(grant.clientIdentifier, grant.channelId));
  }
}
