import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountId } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ParseObjectIdPipe } from '../common/validation/parse-object-id.pipe';
import { PlatformDeletedResponse, PlatformEndpointResponse, PlatformEndpointWithSecretResponse, RotatedSecretResponse } from './dto/channel.response';
import { AddPlatformDto, UpdatePlatformDto } from './dto/platform.dto';
import { PlatformEndpointsService } from './platform-endpoints.service';

@ApiTags('Channels')
@ApiBearerAuth('bearer')
@Controller('channels/:channelId/platforms')
export class PlatformsController {
  constructor(private readonly endpoints: PlatformEndpointsService) {}

  @Get()
  @ApiOperation({ summary: "List a channel's platform endpoints (secrets as previews)" })
  @ApiOkResponse({ type: [PlatformEndpointResponse] })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND')
  list(@AccountId() clientIdentifier: string, @Param('channelId', ParseObjectIdPipe) channelId: string) {
    return this.endpoints.list(clientIdentifier, channelId);
  }

  @Post()
  @ApiOperation({ summary: 'Add a platform endpoint (its signing secret is shown once, in this answer)' })
  @ApiCreatedResponse({ type: PlatformEndpointWithSecretResponse })
  @ApiBody({ type: AddPlatformDto, examples: { helpdesk: { summary: 'A second platform', value: { slug: 'helpdesk', callbackUrl: 'https://helpdesk.example.com/webhook' } } } })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'CHANNEL_NOT_FOUND', 'INVALID_CALLBACK_URL', 'PLATFORM_SLUG_TAKEN', 'TOO_MANY_PLATFORMS', 'CONCURRENT_UPDATE')
  add(@AccountId() clientIdentifier: string, @Param('channelId', ParseObjectIdPipe) channelId: string, @Body() dto: AddPlatformDto) {
    return this.endpoints.add(clientIdentifier, channelId, dto);
  }

  @Get(':slug')
  @ApiOperation({ summary: 'Get a platform endpoint' })
  @ApiOkResponse({ type: PlatformEndpointResponse })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND', 'PLATFORM_NOT_FOUND')
  get(@AccountId() clientIdentifier: string, @Param('channelId', ParseObjectIdPipe) channelId: string, @Param('slug') slug: string) {
    return this.endpoints.get(clientIdentifier, channelId, slug);
  }

  @Patch(':slug')
  @ApiOperation({ summary: "Change an endpoint's callbackUrl, or enable/disable it" })
  @ApiOkResponse({ type: PlatformEndpointResponse })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'CHANNEL_NOT_FOUND', 'PLATFORM_NOT_FOUND', 'INVALID_CALLBACK_URL', 'CONCURRENT_UPDATE')
  update(
    @AccountId() clientIdentifier: string,
    @Param('channelId', ParseObjectIdPipe) channelId: string,
    @Param('slug') slug: string,
    @Body() dto: UpdatePlatformDto,
  ) {
    return this.endpoints.update(clientIdentifier, channelId, slug, dto);
  }

  @Delete(':slug')
  @ApiOperation({ summary: 'Remove a platform endpoint (not the starting platform: 422)' })
  @ApiOkResponse({ type: PlatformDeletedResponse })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND', 'PLATFORM_NOT_FOUND', 'STARTING_PLATFORM_NOT_REMOVABLE', 'CONCURRENT_UPDATE')
  remove(@AccountId() clientIdentifier: string, @Param('channelId', ParseObjectIdPipe) channelId: string, @Param('slug') slug: string) {
    return this.endpoints.remove(clientIdentifier, channelId, slug);
  }

  @Post(':slug/rotate-secret')
  @HttpCode(200)
  @ApiOperation({
    summary: "Rotate an endpoint's signing secret",
    description: 'The new secret signs from now on and is shown only in this answer; the previous one may still sign for 24 h (see docs).',
  })
  @ApiOkResponse({ type: RotatedSecretResponse })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND', 'PLATFORM_NOT_FOUND', 'CONCURRENT_UPDATE')
  rotate(@AccountId() clientIdentifier: string, @Param('channelId', ParseObjectIdPipe) channelId: string, @Param('slug') slug: string) {
    return this.endpoints.rotateSecret(clientIdentifier, channelId, slug);
  }
}
