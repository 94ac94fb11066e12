import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AccountId } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ParseObjectIdPipe } from '../common/validation/parse-object-id.pipe';
import { ConversationsService } from './conversations.service';
import { ConversationPageResponse, ConversationResponse, StartConversationResponse } from './dto/conversation.response';
import { ListConversationsQuery } from './dto/list-conversations.query';
import { StartConversationDto } from './dto/start-conversation.dto';

@ApiTags('Conversations')
@ApiBearerAuth('bearer')
@Controller('conversations')
export class ConversationsController {
  constructor(private readonly conversations: ConversationsService) {}

  @Post('start/:service')
  @ApiOperation({
    summary: 'Start a conversation (SDK 4.1 MessageApi.startConversation)',
    description: '201 with a new conversation, 200 with the open one for the same channel, contact and platform. Its id is the `sessionId` of sends.',
  })
  @ApiParam({ name: 'service', example: 'whatsappweb' })
  @ApiCreatedResponse({ type: StartConversationResponse })
  @ApiOkResponse({ type: StartConversationResponse, description: 'The open conversation already there' })
  @ApiErrors('VALIDATION_FAILED', 'UNSUPPORTED_SERVICE', 'PLATFORM_CONFIG_MISMATCH', 'UNKNOWN_PLATFORM', 'CHANNEL_NOT_FOUND', 'CONTACT_NOT_FOUND', 'INVALID_PHONE_NUMBER')
  async start(@AccountId() clientIdentifier: string, @Param('service') service: string, @Body() dto: StartConversationDto, @Res({ passthrough: true }) res: Response) {
    const { conversation, created } = await this.conversations.start(clientIdentifier, service, dto);
    res.status(created ? 201 : 200);
    return { ...conversation, created };
  }

  @Get()
  @ApiOperation({ summary: 'List conversations, filtered (channelId, contactId, platform, status) and paginated' })
  @ApiOkResponse({ type: ConversationPageResponse })
  @ApiErrors('VALIDATION_FAILED', 'PAGE_OUT_OF_RANGE')
  list(@AccountId() clientIdentifier: string, @Query() q: ListConversationsQuery) {
    return this.conversations.list(clientIdentifier, q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a conversation' })
  @ApiOkResponse({ type: ConversationResponse })
  @ApiErrors('INVALID_ID', 'CONVERSATION_NOT_FOUND')
  get(@AccountId() clientIdentifier: string, @Param('id', ParseObjectIdPipe) id: string) {
    return this.conversations.getById(clientIdentifier, id);
  }

  @Post(':id/end')
  @HttpCode(200)
  @ApiOperation({ summary: 'End a conversation', description: 'Idempotent: ending an ended conversation returns it unchanged. Sends to it then answer 422 CONVERSATION_ENDED.' })
  @ApiOkResponse({ type: ConversationResponse })
  @ApiErrors('INVALID_ID', 'CONVERSATION_NOT_FOUND')
  end(@AccountId() clientIdentifier: string, @Param('id', ParseObjectIdPipe) id: string) {
    return this.conversations.end(clientIdentifier, id);
  }
}
