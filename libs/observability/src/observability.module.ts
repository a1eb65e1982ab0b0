import { createHmac, randomUUID } from 'node:crypto';
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
 * A caller's correlation id travels on the PUBLIC event envelope (`correlationId`, header `correlation-id`), so it is
 * kept only in the exact shapes of opaque identifiers: a UUID (8-4-4-4-12 hexadecimal digits), a W3C trace id (32) or
 * `traceparent` (`00-<32>-<16>-<2>`). Anything else is replaced by a fresh UUID: words (`Le-Thi-Hoa-0903110028`,
 * black-box round 8), digit groups (`0912-345-678`, `001-099-012-345`, round 9), markup, spaces, an over-long header.
 * Even in those shapes, hexadecimal digits can spell a phone or ID-card number (`09123456-78..`): an id whose digits,
 * dashes left out, hold a run of 9 or more decimal digits is replaced by a stand-in DERIVED from it (keyed hash, the
 * same in every service of the system and on every retry, so correlation still works; the value is never published).
 * The answer's `X-Correlation-Id` says which id was used. Logs and the audit log never carry a replaced value either.
 */
const UUID_SHAPE = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
const TRACE_ID_SHAPE = /^[0-9A-Fa-f]{32}$/;
const TRACEPARENT_SHAPE = /^[0-9A-Fa-f]{2}-[0-9A-Fa-f]{32}-[0-9A-Fa-f]{16}-[0-9A-Fa-f]{2}$/;
/** 9+ decimal digits in a row: the length of a phone number (9–11) or an ID-card number (9 or 12). */
const NUMBER_RUN = /\d{9,}/;

const spellsNumber = (id: string): boolean => NUMBER_RUN.test(id.replace(/-/g, ''));

/** A UUID-shaped stand-in for `id`: keyed hash (JWT_SECRET, shared by the services), without a 9-digit run. */
function standIn(id: string): string {
  const key = `onestop-correlation:${process.env['JWT_SECRET'] ?? ''}`;
  for (let round = 0; ; round++) {
    const h = createHmac('sha256', key).update(`${round}:${id}`).digest('hex');
    const v = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    if (!spellsNumber(v)) return v;
  }
}

export function correlationIdFrom(given: string | string[] | undefined): string {
  const v = Array.isArray(given) ? given[0] : given;
  if (v === undefined || !(UUID_SHAPE.test(v) || TRACE_ID_SHAPE.test(v) || TRACEPARENT_SHAPE.test(v))) return randomUUID();
  return spellsNumber(v) ? standIn(v) : v;
}

/** Takes the caller's X-Correlation-Id (or makes one), echoes it, and binds it to the async context. */
export class CorrelationIdMiddleware implements NestMiddleware {
  use(req: RawReq, res: RawRes, next: () => void): void {
    const id = correlationIdFrom(req.headers[CORRELATION_HEADER]);
    res.setHeader(CORRELATION_HEADER, id);
    logContext.run({ correlationId: id }, next);
  }
}
