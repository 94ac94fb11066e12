import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { useBodyParsing } from './common/http/body-parsing';
import { requestIdMiddleware } from './common/logging/request-id.middleware';
import { createValidationPipe } from './common/validation/validation.pipe';
import { AppConfig } from './config/app-config';
import { Connections } from './database/connections';
import { buildOpenApi } from './openapi/openapi-document';

/** Everything main.ts and the e2e harness share, so tests run the app exactly as production does. */
export async function createApp(
  config: AppConfig,
  connections: Connections,
  /** Extra modules (tests add probe controllers); production passes none. */
  extraModules: Type[] = [],
): Promise<NestExpressApplication> {
  const root = AppModule.forRoot(config, connections);
  root.imports = [...(root.imports ?? []), ...extraModules];
  const app = await NestFactory.create<NestExpressApplication>(root, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.use(requestIdMiddleware);
  useBodyParsing(app, config.http.bodyLimit);
  app.set('query parser', 'simple');
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.useGlobalPipes(createValidationPipe());
  // Also registered through APP_FILTER; this instance covers errors raised before routing.
  app.useGlobalFilters(new AllExceptionsFilter());
  SwaggerModule.setup('docs', app, () => buildOpenApi(app), {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
  return app;
}
