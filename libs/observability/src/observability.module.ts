import { randomUUID } from 'node:crypto';
import {
  Controller,
  Get,
  Header,
  Inject,
  Module,
  SetMetadata,
  type DynamicModule,
  type NestMiddleware,
  type Provider,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Registry } from 'prom-client';
import { HttpMetricsInterceptor } from './http-metrics.interceptor';
import { logContext } from './json.logger';
import { METRICS_REGISTRY, createMetricsRegistry } from './metrics';


/** Route metadata read by the auth guard of @onestop/http: the route needs no token (health, docs, metrics). */
export const PUBLIC_ROUTE_KEY = 'onestop:public-route';
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE_KEY, true);

@PublicRoute()
@Controller()
export class MetricsController {
  constructor(@Inject(METRICS_REGISTRY) private readonly registry: Registry) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * Serves GET /metrics, provides the service's registry under METRICS_REGISTRY, and times every HTTP answer
 * (`http_server_request_duration_seconds`, HttpMetricsInterceptor).
 */
@Module({})
export class ObservabilityModule {
  static forService(service: string, options: { httpMetrics?: boolean } = {}): DynamicModule {
    const registry: Provider = { provide: METRICS_REGISTRY, useValue: createMetricsRegistry(service) };
    // intake-service times its answers in a Fastify hook of its own (intake_http_*), so it opts out
    const timing: Provider[] = options.httpMetrics === false ? [] : [{ provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor }];
    return { module: ObservabilityModule, global: true, controllers: [MetricsController], providers: [registry, ...timing], exports: [registry] };
  }
}

export const CORRELATION_HEADER = 'x-correlation-id';

interface RawReq {
  headers: Record<string, string | string[] | undefined>;
}
interface RawRes {
  setHeader(name: string, value: string): void;
}

/**
 * A caller's correlation id is kept only when it looks like one: 1–100 characters of letters, digits and
 * `. _ : / -` (UUIDs, W3C trace ids, "portal-2026/abc"). Anything else (markup, spaces, control characters, a
 * 5,000-character header) is replaced by a fresh UUID, so logs and the audit log never carry what the caller typed.
 * A bare 9–15 digit number is replaced too: it is the shape of a CCCD/CMND or phone number, and the correlation id
 * travels on the public event envelope.
 */
const CORRELATION_ID = /^(?!\d{9,15}$)[A-Za-z0-9._:/-]{1,100}$/;

export function correlationIdFrom(given: string | string[] | undefined): string {
  const v = Array.isArray(given) ? given[0] : given;
  return v !== undefined && CORRELATION_ID.test(v) ? v : randomUUID();
}

/** Takes the caller's X-Correlation-Id (or makes one), echoes it, and binds it to the async context. */
export class CorrelationIdMiddleware implements NestMiddleware {
  use(req: RawReq, res: RawRes, next: () => void): void {
    const id = correlationIdFrom(req.headers[CORRELATION_HEADER]);
    res.setHeader(CORRELATION_HEADER, id);
    logContext.run({ correlationId: id }, next);
  }
}
