import { ConfigValidationException, loadConfig } from './env.config';
import { lifecycleServiceConfig } from './lifecycle-service.config';

describe('lifecycleServiceConfig', () => {
  const load = (source: NodeJS.ProcessEnv) =>
    loadConfig((env) => lifecycleServiceConfig(env, { service: 'x-service', schema: 'x', defaultPort: 3009 }), source);

  it('should default topics, consumer group, JWT issuer and workers from the service name', () => {
    const cfg = load({ DATABASE_URL: 'postgres://u@h/db', KAFKA_BROKERS: 'k:9092' });
    expect(cfg).toMatchObject({
      service: 'x-service',
      schema: 'x',
      http: { port: 3009 },
      kafka: { brokers: ['k:9092'], clientId: 'x-service' },
      topics: { lifecycle: 'onestop.dossier.lifecycle.v1', public: 'onestop.dossier.public.v1' },
      consumerGroup: 'x-service',
      jwtIssuer: 'onestop-pulse',
      backgroundWorkers: true,
    });
  });

  it('should report its bad variables in the one error of loadConfig', () => {
    expect(() => load({ DATABASE_URL: 'postgres://u@h/db', KAFKA_BROKERS: 'k:9092', BACKGROUND_WORKERS: 'maybe' })).toThrow(
      ConfigValidationException,
    );
  });
});
