import { Body, Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../common/auth/auth.decorators';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ParseObjectIdPipe } from '../common/validation/parse-object-id.pipe';
import { ApiKeysService } from './api-keys.service';
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
  @ApiErrors(400, 401, 403)
  create(@Body() dto: CreateApiKeyDto) {
    return this.keys.create(dto.clientIdentifier, dto.name);
  }

  @Get()
  @ApiOperation({ summary: "List an account's keys (never the keys themselves)" })
  @ApiErrors(400, 401, 403)
  list(@Query() q: ListApiKeysQuery) {
    return this.keys.list(q.clientIdentifier);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke a key' })
  @ApiErrors(400, 401, 403, 404)
  revoke(@Param('id', ParseObjectIdPipe) id: string) {
    return this.keys.revoke(id);
  }
}
