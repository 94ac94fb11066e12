import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ParseObjectIdPipe } from '../common/validation/parse-object-id.pipe';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyResponse, CreatedApiKeyResponse } from './dto/api-key.response';
import { CreateApiKeyDto, ListApiKeysQuery } from './dto/create-api-key.dto';

@ApiTags('API keys (admin)')
@ApiBearerAuth('bearer')
@ApiSecurity('api-key')
@AdminOnly()
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create an account key (the key is shown once)' })
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  @ApiErrors('VALIDATION_FAILED')
  create(@Body() dto: CreateApiKeyDto) {
    return this.keys.create(dto.clientIdentifier, dto.name);
  }

  @Get()
  @ApiOperation({ summary: "List an account's keys (never the keys themselves)" })
  @ApiOkResponse({ type: [ApiKeyResponse] })
  @ApiErrors('VALIDATION_FAILED')
  list(@Query() q: ListApiKeysQuery) {
    return this.keys.list(q.clientIdentifier);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke a key' })
  @ApiOkResponse({ type: ApiKeyResponse, description: 'The key, with revokedAt' })
  @ApiErrors('INVALID_ID', 'API_KEY_NOT_FOUND')
  revoke(@Param('id', ParseObjectIdPipe) id: string) {
    return this.keys.revoke(id);
  }
}
