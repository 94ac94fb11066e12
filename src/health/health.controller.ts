import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, MongooseHealthIndicator } from '@nestjs/terminus';
import { Public } from '../common/auth/auth.decorators';
import { NotRateLimited } from '../rate-limit/rate-limit.guard';
import { RedisAvailability } from '../redis/redis-availability';
import { ReadinessRegistry } from './readiness.registry';

@ApiTags('Health')
@Public()
@NotRateLimited()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongoose: MongooseHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    private readonly redis: RedisAvailability,
    private readonly registry: ReadinessRegistry,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, required: ['status'] } })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: MongoDB, Redis and registered feature checks' })
  ready() {
    return this.health.check([
      () => this.mongoose.pingCheck('mongodb', { timeout: 3_000 }),
      // By the clock (RedisAvailability pings in the background): a stopped Redis keeps its socket
      // open and never answers, and readiness must say so within a second, not after the outage.
      async () => {
        const session = this.indicator.check('redis');
        return this.redis.available ? session.up() : session.down({ message: `no answer for ${this.redis.silentForMs} ms` });
      },
      ...this.registry.entries().map(([name, check]) => async () => {
        const session = this.indicator.check(name);
        const result = await check();
        return result.up ? session.up(result.details) : session.down(result.details);
      }),
    ]);
  }
}
