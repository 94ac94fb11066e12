import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../../common/auth/auth.decorators';
import { NotRateLimited } from '../../rate-limit/rate-limit.guard';
import { CloudWebhookService } from './cloud-webhook.service';

/**
 * Where Meta and 360dialog deliver a channel's inbound traffic. Public (providers carry no API key):
 * Meta's deliveries are authenticated by X-Hub-Signature-256 over the raw body with the app secret,
 * 360dialog's by the per-channel token it adds as a header. Forgeries get 401; a 200 means stored.
 * Not rate limited: a provider's burst must not be refused, and a forgery costs one HMAC.
 */
@ApiExcludeController()
@Public()
@NotRateLimited()
@Controller('providers')
export class CloudWebhookController {
  constructor(private readonly webhooks: CloudWebhookService) {}

  /** Meta's subscription check: echo hub.challenge when hub.verify_token is the channel's. */
  @Get('whatsappcloud/:channelId/webhook')
  async verify(@Param('channelId') channelId: string, @Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const challenge = await this.webhooks.verifySubscription(channelId, query);
    res.status(200).type('text/plain').send(challenge);
  }

  @Post('whatsappcloud/:channelId/webhook')
  @HttpCode(200)
  async meta(@Param('channelId') channelId: string, @Req() req: Request & { rawBody?: Buffer }): Promise<{ received: number }> {
    return this.webhooks.receive('whatsappcloud', channelId, req.rawBody, req.headers, req.body);
  }

  @Post('d360/:channelId/webhook')
  @HttpCode(200)
  async d360(@Param('channelId') channelId: string, @Req() req: Request & { rawBody?: Buffer }): Promise<{ received: number }> {
    return this.webhooks.receive('d360', channelId, req.rawBody, req.headers, req.body);
  }
}
