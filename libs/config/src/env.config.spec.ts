import { ConfigValidationException, httpConfig, kafkaConfig, loadConfig } from './env.config';

describe('loadConfig', () => {
  it('should build the typed object when every variable is valid', () => {
    const cfg = loadConfig((env) => ({ http: httpConfig(env, 3000), kafka: kafkaConfig(env, 'x') }), {
      HTTP_PORT: '8080',
      KAFKA_BROKERS: 'a:1, b:2',
    });
    expect(cfg).toEqual({
      http: { host: '127.0.0.1', port: 8080, bodyLimitBytes: 1_048_576 },
      kafka: { brokers: ['a:1', 'b:2'], clientId: 'x' },
    });
  });

  it('should list every bad variable in one error when several are invalid', () => {
    const act = () =>
      loadConfig((env) => ({ port: env.int('HTTP_PORT', 1, 0, 65535), flag: env.bool('FLAG'), req: env.str('NEEDED') }), {
        HTTP_PORT: '99999',
        FLAG: 'maybe',
      });
    expect(act).toThrow(ConfigValidationException);
    try {
      act();
    } catch (e) {
      expect((e as ConfigValidationException).problems).toEqual([
        'HTTP_PORT must be an integer in [0, 65535], got "99999"',
        'FLAG must be a boolean (true/false), got "maybe"',
        'NEEDED is required',
      ]);
    }
  });
});
