import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp, enforceContentTypes } from '@onestop/http';
import { AppModule } from './app.module';
import type { Clock } from './clock/clock';
import type { ProcessingConfig } from './config/processing.config';

/** Builds the Fastify-based Nest app (used by main.ts and by the integration tests). */
export async function createProcessingApp(cfg: ProcessingConfig, opts: { clock?: Clock; logger?: boolean } = {}): Promise<NestFastifyApplication> {
  const app = await createServiceApp(AppModule.forRoot(cfg, opts.clock), {
    service: cfg.service,
    bodyLimitBytes: cfg.http.bodyLimitBytes,
    logger: opts.logger,
    title: 'OneStop Pulse — processing-service',
    description: "Officials' work on a dossier: transfer, inter-agency steps, supplements, payment requests, suspension, apology, refusal, withdrawal, work queues.",
  });
  // JSON bodies only (415 problem+json otherwise, before any parsing): Nest's Fastify adapter would also parse
  // form-urlencoded bodies, so a form post ran commands (ADR 0308).
  enforceContentTypes(app);
  return app;
}
