import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DeletedResponse } from '../channels/dto/channel.response';
import { AccountId } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ParseObjectIdPipe } from '../common/validation/parse-object-id.pipe';
import { CreateTagDto, ListTagsQuery, TagResponse, UpdateTagDto } from './dto/tag.dto';
import { TagsService } from './tags.service';

@ApiTags('Tags')
@ApiBearerAuth('bearer')
@Controller('tags')
export class TagsController {
  constructor(private readonly tags: TagsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a tag (SDK 3.1 TagApi.create)' })
  @ApiCreatedResponse({ type: TagResponse })
  @ApiErrors('VALIDATION_FAILED', 'TAG_NAME_TAKEN')
  create(@AccountId() clientIdentifier: string, @Body() dto: CreateTagDto) {
    return this.tags.create(clientIdentifier, dto);
  }

  @Get()
  @ApiOperation({ summary: "List the account's tags, optionally by part of the name (SDK 3.2 TagApi.get)" })
  @ApiOkResponse({ type: [TagResponse] })
  @ApiErrors('VALIDATION_FAILED')
  list(@AccountId() clientIdentifier: string, @Query() q: ListTagsQuery) {
    return this.tags.list(clientIdentifier, q.name);
  }

  @Get(':tagId')
  @ApiOperation({ summary: 'Get a tag (SDK 3.3 TagApi.getById)' })
  @ApiOkResponse({ type: TagResponse })
  @ApiErrors('INVALID_ID', 'TAG_NOT_FOUND')
  get(@AccountId() clientIdentifier: string, @Param('tagId', ParseObjectIdPipe) tagId: string) {
    return this.tags.getById(clientIdentifier, tagId);
  }

  @Patch(':tagId')
  @ApiOperation({ summary: 'Rename or recolour a tag (SDK 3.4 TagApi.update)' })
  @ApiOkResponse({ type: TagResponse })
  @ApiErrors('INVALID_ID', 'VALIDATION_FAILED', 'ID_MISMATCH', 'TAG_NOT_FOUND', 'TAG_NAME_TAKEN')
  update(@AccountId() clientIdentifier: string, @Param('tagId', ParseObjectIdPipe) tagId: string, @Body() dto: UpdateTagDto) {
    return this.tags.update(clientIdentifier, tagId, dto);
  }

  @Delete(':tagId')
  @ApiOperation({ summary: 'Delete a tag; it leaves every contact (SDK 3.5 TagApi.delete)' })
  @ApiOkResponse({ type: DeletedResponse })
  @ApiErrors('INVALID_ID', 'TAG_NOT_FOUND')
  delete(@AccountId() clientIdentifier: string, @Param('tagId', ParseObjectIdPipe) tagId: string) {
    return this.tags.delete(clientIdentifier, tagId);
  }
}
