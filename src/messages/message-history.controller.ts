import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountId } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ParseObjectIdPipe } from '../common/validation/parse-object-id.pipe';
import { HistoryQuery } from './dto/history.query';
import { MessagePageResponse } from './dto/message.response';
import { MessageHistoryService } from './message-history.service';

/** Message history routes that live under other resources (conversations, contacts). */
@ApiTags('Messages')
@ApiBearerAuth('bearer')
@Controller()
export class MessageHistoryController {
  constructor(private readonly history: MessageHistoryService) {}

  @Get('conversations/:id/messages')
  @ApiOperation({ summary: 'Messages of a conversation, both directions, newest first by default' })
  @ApiOkResponse({ type: MessagePageResponse })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'PAGE_OUT_OF_RANGE', 'CONVERSATION_NOT_FOUND')
  ofConversation(@AccountId() ci: string, @Param('id', ParseObjectIdPipe) id: string, @Query() q: HistoryQuery) {
    return this.history.ofConversation(ci, id, q);
  }

  @Get('contacts/:contactId/messages')
  @ApiOperation({ summary: 'Every message with a contact (or group), across conversations, newest first by default' })
  @ApiOkResponse({ type: MessagePageResponse })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'PAGE_OUT_OF_RANGE', 'CONTACT_NOT_FOUND')
  ofContact(@AccountId() ci: string, @Param('contactId', ParseObjectIdPipe) contactId: string, @Query() q: HistoryQuery) {
    return this.history.ofContact(ci, contactId, q);
  }
}
