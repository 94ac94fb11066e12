import { ROUTING_ERRORS } from '../sessions/sessions.controller';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountId } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe';
import { ChannelGroupsService } from './channel-groups.service';
import { ChannelGroupResponse } from './dto/channel-group.dto';

@ApiTags('WhatsApp sessions')
@ApiBearerAuth('bearer')
@Controller('channels/:channelId/groups')
export class ChannelGroupsController {
  constructor(private readonly groups: ChannelGroupsService) {}

  @Get()
  @ApiOperation({
    summary: "The WhatsApp groups of the channel's number",
    description:
      'Read live from the connected WhatsApp session, sorted by subject: each group id is the `recipientNumber` of group sends. ' +
      'Groups the number left stay listed with `isMember: false` while WhatsApp keeps their chat. ' +
      '422 CHANNEL_NOT_READY unless the session is READY; any server process answers (the list is read where the session runs); ' +
      '503 SERVICE_UNAVAILABLE when WhatsApp Web does not answer in time.',
  })
  @ApiOkResponse({ type: [ChannelGroupResponse] })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND', 'CHANNEL_NOT_READY', 'ENGINE_FEATURE_UNSUPPORTED', ...ROUTING_ERRORS, 'SERVICE_UNAVAILABLE')
  list(@AccountId() clientIdentifier: string, @Param('channelId', ParseObjectIdPipe) channelId: string): Promise<ChannelGroupResponse[]> {
    return this.groups.routed.list(clientIdentifier, channelId);
  }
}
