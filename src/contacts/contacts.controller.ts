import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeletedResponse } from '../channels/dto/channel.response';
import { AccountId } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ParseObjectIdPipe } from '../common/validation/parse-object-id.pipe';
import { TagResponse } from '../tags/dto/tag.dto';
import { ContactTagsService } from './contact-tags.service';
import { ContactsService } from './contacts.service';
import { ContactScoped, ContactTagsDto, CreateContactDto, UpdateContactDto } from './dto/contact.dto';
import { ContactPageResponse, ContactResponse } from './dto/contact.response';
import { ListContactsQuery } from './dto/list-contacts.query';

@ApiTags('Contacts')
@ApiBearerAuth('bearer')
@Controller('contacts')
export class ContactsController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly contactTags: ContactTagsService,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a contact (SDK 2.1 ContactApi.create)' })
  @ApiCreatedResponse({ type: ContactResponse })
  @ApiErrors('VALIDATION_FAILED', 'INVALID_PHONE_NUMBER', 'INVALID_GROUP_ID', 'UNKNOWN_PLATFORM', 'CHANNEL_NOT_FOUND', 'TAG_NOT_FOUND', 'CONTACT_IDENTIFIER_TAKEN')
  create(@AccountId() clientIdentifier: string, @Body() dto: CreateContactDto) {
    return this.contacts.create(clientIdentifier, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List contacts, paginated and filtered (SDK 2.4 ContactApi.get)' })
  @ApiOkResponse({ type: ContactPageResponse })
  @ApiErrors('VALIDATION_FAILED', 'PAGE_OUT_OF_RANGE')
  list(@AccountId() clientIdentifier: string, @Query() q: ListContactsQuery) {
    return this.contacts.list(clientIdentifier, q);
  }

  @Get(':contactId')
  @ApiOperation({ summary: 'Get a contact (SDK 2.3 ContactApi.getById)' })
  @ApiOkResponse({ type: ContactResponse })
  @ApiErrors('INVALID_ID', 'CONTACT_NOT_FOUND')
  get(@AccountId() clientIdentifier: string, @Param('contactId', ParseObjectIdPipe) contactId: string) {
    return this.contacts.getById(clientIdentifier, contactId);
  }

  @Patch(':contactId')
  @ApiOperation({ summary: 'Edit a contact (SDK 2.2 ContactApi.update)' })
  @ApiOkResponse({ type: ContactResponse })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'ID_MISMATCH', 'CONTACT_NOT_FOUND', 'INVALID_PHONE_NUMBER', 'INVALID_GROUP_ID', 'UNKNOWN_PLATFORM', 'TAG_NOT_FOUND', 'CONTACT_IDENTIFIER_TAKEN')
  update(@AccountId() clientIdentifier: string, @Param('contactId', ParseObjectIdPipe) contactId: string, @Body() dto: UpdateContactDto) {
    return this.contacts.update(clientIdentifier, contactId, dto);
  }

  @Delete(':contactId')
  @ApiOperation({
    summary: 'Delete a contact with its conversations and messages (ContactApi.delete)',
    description:
      'Its tags stay in the account (only the links go, with the contact). Webhook events already recorded are still delivered. ' +
      'A second delete is 404 CONTACT_NOT_FOUND; a new message from the same number creates a new contact.',
  })
  @ApiOkResponse({ type: DeletedResponse })
  @ApiErrors('INVALID_ID', 'CONTACT_NOT_FOUND')
  delete(@AccountId() clientIdentifier: string, @Param('contactId', ParseObjectIdPipe) contactId: string) {
    return this.contacts.delete(clientIdentifier, contactId);
  }

  @Delete(':contactId/platform')
  @ApiOperation({ summary: "Remove the contact's platform (SDK 2.5 ContactApi.deletePlatform)" })
  @ApiBody({ type: ContactScoped, required: false })
  @ApiOkResponse({ type: ContactResponse })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'ID_MISMATCH', 'CONTACT_NOT_FOUND')
  removePlatform(@AccountId() clientIdentifier: string, @Param('contactId', ParseObjectIdPipe) contactId: string, @Body() dto: ContactScoped) {
    return this.contacts.removePlatform(clientIdentifier, contactId, dto.contactId);
  }

  @Get(':contactId/tags')
  @ApiOperation({ summary: "The contact's tags (SDK 2.6 ContactApi.getTagsByContacId)" })
  @ApiOkResponse({ type: [TagResponse] })
  @ApiErrors('INVALID_ID', 'CONTACT_NOT_FOUND')
  listTags(@AccountId() clientIdentifier: string, @Param('contactId', ParseObjectIdPipe) contactId: string) {
    return this.contactTags.list(clientIdentifier, contactId);
  }

  @Post(':contactId/tags')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add tags to a contact (SDK 2.7 ContactApi.addTags)' })
  @ApiOkResponse({ type: ContactResponse })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'ID_MISMATCH', 'CONTACT_NOT_FOUND', 'TAG_NOT_FOUND')
  addTags(@AccountId() clientIdentifier: string, @Param('contactId', ParseObjectIdPipe) contactId: string, @Body() dto: ContactTagsDto) {
    return this.contactTags.add(clientIdentifier, contactId, dto.tagIds, dto.contactId);
  }

  @Delete(':contactId/tags')
  @ApiOperation({ summary: 'Remove tags from a contact (SDK 2.8 ContactApi.removeTags)' })
  @ApiOkResponse({ type: ContactResponse })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'ID_MISMATCH', 'CONTACT_NOT_FOUND', 'TAG_NOT_FOUND')
  removeTags(@AccountId() clientIdentifier: string, @Param('contactId', ParseObjectIdPipe) contactId: string, @Body() dto: ContactTagsDto) {
    return this.contactTags.remove(clientIdentifier, contactId, dto.tagIds, dto.contactId);
  }
}
