import { Body, Controller, Get, HttpCode, MessageEvent, Param, ParseIntPipe, Post, Query, Sse, DefaultValuePipe } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import { AccountId, AdminOnly, CurrentPrincipal } from '../common/auth/auth.decorators';
import { CredentialWatch } from '../common/auth/credential-watch';
import type { Principal } from '../common/auth/principal';
import { ParseObjectIdPipe } from '../common/validation/parse-object-id.pipe';
import { ConsoleService } from './console.service';
import { HealthQuery, TestEventDto } from './dto/console.dto';

/**
 * Reads the console pages need that the public API does not have, and the test event. Behind
 * the same global guard as every route: a console session (cookie) or an API key, and the
 * account rules of either (an account sees its own; the admin names one).
 */
@ApiExcludeController()
@Controller('console/api')
export class ConsoleApiController {
  constructor(
    private readonly console: ConsoleService,
    private readonly credentials: CredentialWatch,
  ) {}

  @Get('accounts')
  @AdminOnly()
  async accounts() {
    return { data: await this.console.accounts() };
  }

  @Get('channels')
  channels(@AccountId() clientIdentifier: string) {
    return this.console.channelRows(clientIdentifier);
  }

  @Sse('events')
  events(@AccountId() clientIdentifier: string, @CurrentPrincipal() principal: Principal): Observable<MessageEvent> {
    // A console session made from a key carries that key's id: revoking the key ends the stream too.
    return this.console.sessionEvents(clientIdentifier).pipe(this.credentials.whileValid(principal));
  }

  @Get('channels/:channelId/messages')
  messages(
    @AccountId() clientIdentifier: string,
    @Param('channelId', ParseObjectIdPipe) channelId: string,
    @Query('limit', new DefaultValuePipe(20), ParseIntPipe) limit: number,
  ) {
    return this.console.recentMessages(clientIdentifier, channelId, Math.min(Math.max(limit, 1), 100));
  }

  @Post('channels/:channelId/platforms/:slug/test-event')
  @HttpCode(202)
  testEvent(
    @AccountId() clientIdentifier: string,
    @Param('channelId', ParseObjectIdPipe) channelId: string,
    @Param('slug') slug: string,
    @Body() dto: TestEventDto,
  ) {
    return this.console.sendTestEvent(clientIdentifier, channelId, slug, dto.note);
  }

  @Get('deliveries/health')
  health(@AccountId() clientIdentifier: string, @Query() q: HealthQuery) {
    return this.console.endpointHealth(clientIdentifier, q.window ?? '1h', q.channelId);
  }

  @Get('overview')
  overview(@AccountId() clientIdentifier: string, @Query() q: HealthQuery) {
    return this.console.overview(clientIdentifier, q.window ?? '1h');
  }

  @Get('outbound')
  outbound(@AccountId() clientIdentifier: string) {
    return this.console.outbound(clientIdentifier);
  }
}
