import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccountId, CurrentPrincipal } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { MeResponse } from './dto/api-key.response';

@ApiTags('Account')
@ApiBearerAuth('bearer')
@Controller('me')
export class MeController {
  @Get()
  @ApiOperation({ summary: 'The account this key acts for (checks a key without side effects)' })
  @ApiOkResponse({ type: MeResponse })
  @ApiErrors()
  whoami(@CurrentPrincipal() principal: Principal, @AccountId() clientIdentifier: string) {
    return { clientIdentifier, admin: principal.kind === 'admin' };
  }
}
