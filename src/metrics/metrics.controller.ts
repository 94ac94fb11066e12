import { Controller, Get, Header } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiOkContent } from '../openapi/api-responses';
import { AdminOnly } from '../common/auth/auth.decorators';
import { MetricsService } from './metrics.service';

@ApiTags('Health')
@ApiBearerAuth('bearer')
@AdminOnly()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  @ApiOperation({ summary: 'Prometheus metrics (admin key)' })
  @ApiOkContent('text/plain', 'Prometheus text exposition format 0.0.4')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
