import { Body, Controller, Delete, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { SetupD360Dto, SetupWhatsappCloudDto } from './dto/setup-cloud.dto';
import { AccountId } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ParseObjectIdPipe } from '../common/validation/parse-object-id.pipe';
import { MESSAGE_SERVICES } from './channel.types';
import { ChannelsService } from './channels.service';
import { ChannelResponse, DeletedResponse, SetupResponse } from './dto/channel.response';
import { SetupWhatsappWebDto } from './dto/setup-whatsapp-web.dto';
import { UpdateChannelDto } from './dto/update-channel.dto';

@ApiTags('Channels')
// The official API's setup bodies, named in the document for clients and the SDK (the route's body is per service).
@ApiExtraModels(SetupWhatsappCloudDto, SetupD360Dto)
@ApiBearerAuth('bearer')
@Controller('channels')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Post('setup/:service')
  @ApiOperation({
    summary: 'Set up a channel (SDK 1.1 SetupApi.setup)',
    description:
      'The body depends on the service: SetupWhatsappWebDto for `whatsappweb`, SetupWhatsappCloudDto for `whatsappcloud` (Meta Cloud API), ' +
      'SetupD360Dto for `d360` (360dialog; setup configures its webhook, 502 PROVIDER_REQUEST_FAILED when 360dialog refuses). ' +
      'Provider secrets are stored encrypted and returned only as previews (docs/providers.md). Each platform endpoint gets a Standard ' +
      'Webhooks signing secret, returned in full only here. Use `platformConfigId` and `channelId` for onboarding and conversations.',
  })
  @ApiParam({ name: 'service', enum: MESSAGE_SERVICES, example: 'whatsappweb', description: 'Unknown service: 400 UNSUPPORTED_SERVICE' })
  @ApiBody({ type: SetupWhatsappWebDto })
  @ApiCreatedResponse({ type: SetupResponse })
  @ApiErrors('VALIDATION_FAILED', 'UNSUPPORTED_SERVICE', 'DUPLICATE_PLATFORM_SLUG', 'INVALID_STARTING_PLATFORM', 'INVALID_CALLBACK_URL', 'CHANNEL_NUMBER_TAKEN', 'PROVIDER_REQUEST_FAILED')
  // The body is validated against the service's own DTO inside the service (one route, several services).
  setup(@AccountId() clientIdentifier: string, @Param('service') service: string, @Body() body: unknown) {
    return this.channels.setup(clientIdentifier, service, body);
  }

  @Get()
  @ApiOperation({ summary: "List the account's channels" })
  @ApiOkResponse({ type: [ChannelResponse] })
  @ApiErrors()
  list(@AccountId() clientIdentifier: string) {
    return this.channels.list(clientIdentifier);
  }

  @Get(':channelId')
  @ApiOperation({ summary: 'Get a channel' })
  @ApiOkResponse({ type: ChannelResponse })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND')
  get(@AccountId() clientIdentifier: string, @Param('channelId', ParseObjectIdPipe) channelId: string) {
    return this.channels.getById(clientIdentifier, channelId);
  }

  @Patch(':channelId')
  @ApiOperation({ summary: "Change a channel's starting platform, description or companyId" })
  @ApiOkResponse({ type: ChannelResponse })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'CHANNEL_NOT_FOUND', 'INVALID_STARTING_PLATFORM', 'CONCURRENT_UPDATE')
  update(@AccountId() clientIdentifier: string, @Param('channelId', ParseObjectIdPipe) channelId: string, @Body() dto: UpdateChannelDto) {
    return this.channels.update(clientIdentifier, channelId, dto);
  }

  @Delete(':channelId')
  @ApiOperation({
    summary: 'Delete a channel',
    description: 'Stops its WhatsApp session (event `channel.deleted`) and deletes the contacts of the channel.',
  })
  @ApiOkResponse({ type: DeletedResponse })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND')
  delete(@AccountId() clientIdentifier: string, @Param('channelId', ParseObjectIdPipe) channelId: string) {
    return this.channels.delete(clientIdentifier, channelId);
  }
}
