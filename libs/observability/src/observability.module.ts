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
 * A caller's correlation id is kept only when it is an opaque identifier: groups of hexadecimal digits joined by `-`,
 * at most 100 characters — UUIDs, W3C trace ids and `traceparent` values. It travels on the PUBLIC event envelope
 * (`correlationId`, header `correlation-id`), so anything a caller may have typed is replaced by a fresh UUID: words
 * (`Le-Thi-Hoa-0903110028`, black-box round 8: the applicant's name, phone and CCCD reached the public topic), markup,
 * spaces, an over-long header — and a group of 9–12 decimal digits only (an ID-card or phone number's shape, even
 * inside a UUID). Logs and the audit log never carry the rejected value either.
 */
const OPAQUE_ID = /^[0-9A-Fa-f]{2,64}(?:-[0-9A-Fa-f]{2,64}){0,7}$/;
const NUMBER_GROUP = /^\d{9,12}$/;

export function correlationIdFrom(given: string | string[] | undefined): string {
  const v = Array.isArray(given) ? given[0] : given;
  const kept = v !== undefined && v.length <= 100 && OPAQUE_ID.test(v) && !v.split('-').some((g) => NUMBER_GROUP.test(g));
  return kept ? v : randomUUID();
}

/** Takes the caller's X-Correlation-Id (or makes one), echoes it, and binds it to the async context. */
export class CorrelationIdMiddleware implements NestMiddleware {
  use(req: RawReq, res: RawRes, next: () => void): void {
    const id = correlationIdFrom(req.headers[CORRELATION_HEADER]);
    res.setHeader(CORRELATION_HEADER, id);
    logContext.run({ correlationId: id }, next);
  }
}
