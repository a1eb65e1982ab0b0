import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp } from '@onestop/http';
import { AppModule } from './app.module';
import type { Clock } from './clock/clock';
import type { ProcessingConfig } from './config/processing.config';

/** Builds the Fastify-based Nest app (used by main.ts and by the integration tests). */
export function createProcessingApp(cfg: ProcessingConfig, opts: { clock?: Clock; logger?: boolean } = {}): Promise<NestFastifyApplication> {
  return createServiceApp(AppModule.forRoot(cfg, opts.clock), {
    service: cfg.service,
    bodyLimitBytes: cfg.http.bodyLimitBytes,
    logger: opts.logger,
    title: 'OneStop Pulse — processing-service',
    description: "Officials' work on a dossier: transfer, inter-agency steps, supplements, payment requests, suspension, apology, refusal, withdrawal, work queues.",
  });
}
