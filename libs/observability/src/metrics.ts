import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The metrics registry of the service (provided by ObservabilityModule.forService). */
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

/** One Prometheus registry per service process, with default Node metrics and a service label. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export const metric = {
  counter: (registry: Registry, name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name, help, labelNames, registers: [registry] }),
  gauge: (registry: Registry, name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] }),
  histogram: (registry: Registry, name: string, help: string, buckets: number[], labelNames: string[] = []) =>
    new Histogram({ name, help, buckets, labelNames, registers: [registry] }),
};
