import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServiceApp, enforceContentTypes } from '@onestop/http';
import { AppModule } from './app.module';
import type { Clock } from './clock/clock';
import type { ResultConfig } from './config/result.config';

/** Builds the Fastify-based Nest app (used by main.ts and by the integration tests). */
export async function createResultApp(cfg: ResultConfig, opts: { clock?: Clock; logger?: boolean } = {}): Promise<NestFastifyApplication> {
  const app = await createServiceApp(AppModule.forRoot(cfg, opts.clock), {
    service: cfg.service,
    bodyLimitBytes: cfg.http.bodyLimitBytes,
    logger: opts.logger,
    title: 'OneStop Pulse — result-service',
    description: 'Results (paper or electronic), fees and payment, return to the applicant, citizen rating.',
  });
  // JSON bodies only (415 problem+json otherwise, before any parsing): Nest's Fastify adapter would also parse
  // form-urlencoded bodies, so a form post ran commands (ADR 0308).
  enforceContentTypes(app);
  return app;
}
