import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../../common/auth/auth.decorators';
import { AppError } from '../../common/errors/app-error';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { WhatsappErrorCode } from '../whatsapp.errors';
import { ClusterMembers } from './cluster-members';
import { ClusterResponse, DrainResponse, ResumeResponse } from './dto/cluster.dto';
import { SessionRouter } from './session-router';

/** Operators see the server processes sharing this database and Redis, and drain one for a deploy. */
@ApiTags('Cluster (admin)')
@ApiBearerAuth('bearer')
@ApiSecurity('api-key')
@AdminOnly()
@Controller('admin/cluster')
export class ClusterController {
  constructor(
    private readonly members: ClusterMembers,
    private readonly router: SessionRouter,
  ) {}

  @Get('processes')
  @ApiOperation({ summary: 'Live server processes and the WhatsApp Web sessions each runs' })
  @ApiOkResponse({ type: ClusterResponse })
  async list(): Promise<ClusterResponse> {
    const processes = await this.members.list();
    return { processes: processes.map((p) => ({ ...p, self: p.id === this.members.id })) };
  }

  @Post('processes/:processId/drain')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Drain a process: hand its sessions to the others',
    description:
      'Through any process. The process stops taking sessions and hands each of its own to the least loaded other process ' +
      '(a stop there, a start here, the link restored without a QR); answers once all are handed over. Then stop or redeploy it. ' +
      'Sessions no other process can take (all full or draining) stay stopped and start with the next process that can.',
  })
  @ApiOkResponse({ type: DrainResponse })
  @ApiErrors('PROCESS_NOT_FOUND', 'SESSION_OWNER_UNREACHABLE')
  async drain(@Param('processId') processId: string): Promise<DrainResponse> {
    await this.requireLive(processId);
    const { handedOver } = await this.router.onProcess<{ handedOver: number }>(processId, 'process.drain');
    return { id: processId, handedOver };
  }

  @Post('processes/:processId/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'End a drain: the process takes new sessions again' })
  @ApiOkResponse({ type: ResumeResponse })
  @ApiErrors('PROCESS_NOT_FOUND', 'SESSION_OWNER_UNREACHABLE')
  async resume(@Param('processId') processId: string): Promise<ResumeResponse> {
    await this.requireLive(processId);
    await this.router.onProcess(processId, 'process.resume');
    return { id: processId, resumed: true };
  }

  private async requireLive(processId: string): Promise<void> {
    if (processId.length > 200 || !(await this.members.isLive(processId)))
      throw AppError.notFound(WhatsappErrorCode.PROCESS_NOT_FOUND, `No live server process has the id ${JSON.stringify(processId.slice(0, 200))}`);
  }
}
