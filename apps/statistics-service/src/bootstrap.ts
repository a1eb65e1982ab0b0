import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ProblemDetailsFilter, problemClientErrorHandler } from '@onestop/http';
import { JsonLogger } from '@onestop/observability';
import { AppModule } from './app.module';
import { type StatisticsConfig } from './config/statistics.config';

/** Builds the HTTP app (used by main.ts and by the integration tests). */
export async function createStatisticsApp(config: StatisticsConfig, logger = new JsonLogger('statistics-service')): Promise<NestFastifyApplication> {
  const log = (entry: Record<string, unknown>) => (entry['level'] === 'warn' || entry['level'] === 'error' ? logger.warn(entry, 'statistics') : logger.log(entry, 'statistics'));
  // clientErrorHandler: requests Node's parser refuses (431 header overflow, 400 bad request line) get problem+json.
  const adapter = new FastifyAdapter({ bodyLimit: config.http.bodyLimitBytes, clientErrorHandler: problemClientErrorHandler });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, log), adapter, {
    logger,
    bufferLogs: false,
  });
  app.useGlobalFilters(new ProblemDetailsFilter((err) => logger.error(err instanceof Error ? err : String(err), undefined, 'http')));
  app.enableShutdownHooks();
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('OneStop Pulse statistics-service')
      .setDescription('Real-time national indicators per unit, rolled up the unit hierarchy; every answer carries its freshness.')
      .setVersion('1')
      .build(),
  );
  SwaggerModule.setup('docs', app, doc);
  return app;
}
