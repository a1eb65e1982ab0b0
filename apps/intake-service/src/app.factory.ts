import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ProblemDetailsFilter, PublicRoute, problemClientErrorHandler } from '@onestop/http';
import { JsonLogger, MetricsController } from '@onestop/observability';
import { IntakeModule, type IntakeModuleOverrides } from './app.module';
import type { IntakeConfig } from './config/intake.config';
import { IntakeMetrics } from './outbox/intake-metrics';

export const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson'];
/** Import bodies may be large; every other route keeps the configured (small) JSON limit. */
export const IMPORT_BODY_LIMIT = 256 * 1024 * 1024;

// GET /metrics is scraped without a token (the global JWT guard skips routes marked public).
PublicRoute()(MetricsController);

/** Builds the intake app (used by main.ts, the tests and the benchmark). */
export async function createIntakeApp(
  config: IntakeConfig,
  overrides: IntakeModuleOverrides & { logger?: JsonLogger | false } = {},
): Promise<NestFastifyApplication> {
  // clientErrorHandler: requests Node's parser refuses (431 header overflow, 400 bad request line) get problem+json.
  const adapter = new FastifyAdapter({ bodyLimit: config.http.bodyLimitBytes, trustProxy: true, clientErrorHandler: problemClientErrorHandler });
  const logger = overrides.logger === undefined ? new JsonLogger(config.service) : overrides.logger;
  const app = await NestFactory.create<NestFastifyApplication>(IntakeModule.forRoot(config, overrides), adapter, {
    logger,
    // Fastify's own JSON parser only: Nest would add a form-urlencoded parser, and intake accepts JSON alone.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  // JSON only: without this, text/plain bodies would reach handlers as strings instead of a 415.
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser(NDJSON_TYPES, { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) => done(null, body));

  const metrics = app.get(IntakeMetrics);
  fastify.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    metrics.httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
    done();
  });

  app.useGlobalFilters(new ProblemDetailsFilter((err) => (logger ? logger.error(err instanceof Error ? err : String(err), 'ProblemDetailsFilter') : undefined)));
  app.enableShutdownHooks();

  const doc = new DocumentBuilder()
    .setTitle('OneStop Pulse: intake-service')
    .setDescription('Where one-stop counters and the online portal hand in dossiers (tiếp nhận hồ sơ).')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc));
  return app;
}
