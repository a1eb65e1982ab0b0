import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { JsonLogger } from '@onestop/observability';
import { AppModule } from './app.module';
import type { Clock } from './clock/clock';
import type { ResultConfig } from './config/result.config';

/** Builds the Fastify-based Nest app (used by main.ts and by the integration tests). */
export async function createResultApp(
  cfg: ResultConfig,
  opts: { clock?: Clock; logger?: boolean } = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(cfg, opts.clock),
    new FastifyAdapter({ bodyLimit: cfg.http.bodyLimitBytes, trustProxy: true }),
    { logger: opts.logger === false ? false : new JsonLogger(cfg.service), bufferLogs: true },
  );
  app.enableShutdownHooks();
  const doc = new DocumentBuilder()
    .setTitle('OneStop Pulse — result-service')
    .setDescription("Results (paper or electronic), fees and payment, return to the applicant, citizen rating.")
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, SwaggerModule.createDocument(app, doc));
  return app;
}
