import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, MongooseHealthIndicator } from '@nestjs/terminus';
import { Public } from '../common/auth/auth.decorators';
import { RedisClient } from '../redis/redis.module';
import { ReadinessRegistry } from './readiness.registry';

@ApiTags('Health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongoose: MongooseHealthIndicator,
    private readonly indicator: HealthIndicatorService,
    private readonly redis: RedisClient,
    private readonly registry: ReadinessRegistry,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: MongoDB, Redis and registered feature checks' })
  ready() {
    return this.health.check([
      () => this.mongoose.pingCheck('mongodb', { timeout: 3_000 }),
      async () => {
        const session = this.indicator.check('redis');
        try {
          const pong = await this.redis.redis.ping();
          return pong === 'PONG' ? session.up() : session.down({ message: `unexpected reply ${pong}` });
        } catch (err) {
          return session.down({ message: (err as Error).message });
        }
      },
      ...this.registry.entries().map(([name, check]) => async () => {
        const session = this.indicator.check(name);
        const result = await check();
        return result.up ? session.up(result.details) : session.down(result.details);
      }),
    ]);
  }
}
