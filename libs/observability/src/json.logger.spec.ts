import { JsonLogger, logContext } from './json.logger';
import { createMetricsRegistry, metric } from './metrics';

describe(JsonLogger.name, () => {
  it('should write one JSON line with service, level and the correlation id of the current context', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('intake-service', 'info', (l) => lines.push(l));
    logContext.run({ correlationId: 'c-123' }, () => logger.log('dossier received', 'DossiersService'));
    logger.debug('hidden below the level');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 'info',
      service: 'intake-service',
      context: 'DossiersService',
      correlationId: 'c-123',
      msg: 'dossier received',
    });
  });
});

describe('createMetricsRegistry', () => {
  it('should expose counters with the service label in Prometheus text format', async () => {
    const registry = createMetricsRegistry('statistics-service');
    metric.counter(registry, 'events_applied_total', 'Events applied').inc(3);
    const text = await registry.metrics();
    expect(text).toContain('events_applied_total{service="statistics-service"} 3');
  });
});
