import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountId } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ParseObjectIdPipe } from '../common/validation/parse-object-id.pipe';
import { ContactsService } from './contacts.service';
import { ContactPageResponse } from './dto/contact.response';
import { AccountPageQuery } from './dto/list-contacts.query';

/** SDK 3.6 lives with contacts: tags know nothing of contacts, contacts know tags. */
@ApiTags('Tags')
@ApiBearerAuth('bearer')
@Controller('tags')
export class TagContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get(':tagId/contacts')
  @ApiOperation({ summary: 'The contacts carrying a tag, paginated (SDK 3.6 TagApi.getContactsByTagId)' })
  @ApiOkResponse({ type: ContactPageResponse })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'PAGE_OUT_OF_RANGE', 'TAG_NOT_FOUND')
  list(@AccountId() clientIdentifier: string, @Param('tagId', ParseObjectIdPipe) tagId: string, @Query() q: AccountPageQuery) {
    return this.contacts.listByTag(clientIdentifier, tagId, q);
  }
}
