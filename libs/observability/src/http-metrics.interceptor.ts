import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { Histogram, Registry } from 'prom-client';
import { METRICS_REGISTRY, metric } from './metrics';

/** Seconds; fine at the low end, where the services' answers are (a counter read is ~1–2 ms). */
export const HTTP_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface RawRequest {
  method?: string;
  routeOptions?: { url?: string };
  route?: { path?: string };
}
interface RawReply {
  raw?: NodeJS.EventEmitter & { statusCode: number };
  statusCode?: number;
  once?: NodeJS.EventEmitter['once'];
}

/**
 * `http_server_request_duration_seconds{method, route, status}`: time from the request reaching the route to the
 * response being handed to the socket, for every answer (errors included; an SSE stream counts its whole life).
 * The route is the template (`/v1/units/:unitId/indicators`), never the URL, so label values stay few.
 */
@Injectable()
export class HttpMetricsInterceptor implements NestInterceptor {
  private readonly duration: Histogram;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const existing = registry.getSingleMetric('http_server_request_duration_seconds') as Histogram | undefined;
    this.duration =
      existing ??
      metric.histogram(registry, 'http_server_request_duration_seconds', 'HTTP answers by route template and status', HTTP_DURATION_BUCKETS, [
        'method',
        'route',
        'status',
      ]);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<RawRequest>();
    const reply = http.getResponse<RawReply>();
    const res = reply.raw ?? (reply as unknown as NodeJS.EventEmitter & { statusCode: number });
    const route = req.routeOptions?.url ?? req.route?.path ?? 'unmatched';
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.duration.observe({ method: req.method ?? 'GET', route, status: String(res.statusCode) }, seconds);
    });
    return next.handle();
  }
}
