import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountId } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ParseObjectIdPipe } from '../common/validation/parse-object-id.pipe';
import { ChannelsService } from './channels.service';
import { ChannelResponse } from './dto/channel.response';

@ApiTags('Channels')
@ApiBearerAuth('bearer')
@Controller('platform-configs')
export class PlatformConfigsController {
  constructor(private readonly channels: ChannelsService) {}

  @Get(':platformConfigId')
  @ApiOperation({ summary: 'Get a platform configuration (the channel it configures)' })
  @ApiOkResponse({ type: ChannelResponse })
  @ApiErrors('INVALID_ID', 'PLATFORM_CONFIG_NOT_FOUND')
  get(@AccountId() clientIdentifier: string, @Param('platformConfigId', ParseObjectIdPipe) platformConfigId: string) {
    return this.channels.getByPlatformConfigId(clientIdentifier, platformConfigId);
  }
}
