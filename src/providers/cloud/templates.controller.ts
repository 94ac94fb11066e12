import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AccountId } from '../../common/auth/auth.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ParseObjectIdPipe } from '../../common/validation/parse-object-id.pipe';
import { TemplatesService, TemplateView } from './templates.service';

export class MessageTemplateResponse {
  @ApiProperty({ example: 'pedido_confirmado' }) name!: string;
  @ApiProperty({ example: 'pt_BR' }) language!: string;
  @ApiProperty({ example: 'APPROVED', description: 'APPROVED, PENDING, REJECTED, PAUSED or DISABLED' }) status!: string;
  @ApiPropertyOptional({ example: 'UTILITY' }) category?: string;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object', additionalProperties: true }, description: "Meta's components (HEADER, BODY with {{n}} placeholders, FOOTER, BUTTONS)" })
  components?: unknown[];
}

@ApiTags('Messages')
@ApiBearerAuth('bearer')
@Controller('channels/:channelId/templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Get()
  @ApiOperation({
    summary: "The message templates of the channel's WhatsApp Business Account (official API)",
    description:
      'Read live from Meta or 360dialog: name, language, status, category and components. `status` filters (default APPROVED; `all` for every status). ' +
      'WhatsApp Web channels answer 422 ENGINE_FEATURE_UNSUPPORTED (details.feature = template).',
  })
  @ApiQuery({ name: 'status', required: false, example: 'APPROVED' })
  @ApiOkResponse({ type: [MessageTemplateResponse] })
  @ApiErrors('INVALID_ID', 'CHANNEL_NOT_FOUND', 'ENGINE_FEATURE_UNSUPPORTED', 'PROVIDER_REQUEST_FAILED')
  list(@AccountId() clientIdentifier: string, @Param('channelId', ParseObjectIdPipe) channelId: string, @Query('status') status?: string): Promise<TemplateView[]> {
    return this.templates.list(clientIdentifier, channelId, status);
  }
}
