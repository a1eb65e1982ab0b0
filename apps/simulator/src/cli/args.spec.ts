import { DEFAULT_MIX } from '../simulation/plan';
import { parseSimulatorArgs } from './args';

describe('simulator options', () => {
  it('should default to a small demo against npm start', () => {
    const a = parseSimulatorArgs(['--seed', '5'], {});
    expect(a).toMatchObject({
      dossiers: 100,
      durationMs: null,
      rate: 2,
      concurrency: 8,
      provinces: ['01', '79'],
      unitsPerProvince: 10,
      spreadDays: 0,
      seed: 5,
      waitTimeoutMs: 30_000,
      urls: { intake: 'http://127.0.0.1:3001', processing: 'http://127.0.0.1:3002', result: 'http://127.0.0.1:3003' },
      jwt: { secret: 'dev-only-secret-change-me-0123456789', issuer: 'onestop-pulse' },
      help: false,
    });
    expect(a.mix).toEqual(DEFAULT_MIX);
  });

  it('should read both option forms, the environment, and run unbounded by count with a duration', () => {
    const a = parseSimulatorArgs(['--rate=20', '--duration', '60', '--provinces', '01, 48', '--online', '0.9', '--late', '0.2', '--intake-url', 'http://intake:8080/'], {
      PROCESSING_URL: 'http://processing:8080',
      JWT_SECRET: 'another-secret-0123456789-abcdef',
    });
    expect(a.rate).toBe(20);
    expect(a.durationMs).toBe(60_000);
    expect(a.dossiers).toBe(Number.MAX_SAFE_INTEGER);
    expect(a.provinces).toEqual(['01', '48']);
    expect(a.mix.online).toBe(0.9);
    expect(a.mix.late).toBe(0.2);
    expect(a.mix.online + a.mix.postal).toBeLessThanOrEqual(1);
    expect(a.urls).toEqual({ intake: 'http://intake:8080', processing: 'http://processing:8080', result: 'http://127.0.0.1:3003' });
    expect(a.jwt.secret).toBe('another-secret-0123456789-abcdef');
  });

  it.each([
    [['--rate', '0'], '--rate must be a number of dossiers per second'],
    [['--dossiers', '2.5'], '--dossiers must be a whole number > 0'],
    [['--online', '1.5'], '--online must be a share between 0 and 1'],
    [['--provinces', 'HN'], '--provinces must be two-digit province codes'],
    [['--intake-url', 'not a url'], '--intake-url must be a URL'],
    [['--speed', '3'], 'unknown option --speed'],
    [['--rate'], 'option --rate needs a value'],
    [['fast'], 'unexpected argument "fast"'],
    [['--speed', '--rate', '3'], 'unknown option --speed'],
    [['--provinces', '01,79,01'], '--provinces names 01 twice'],
  ])('should reject %j with a message naming the option', (argv, message) => {
    expect(() => parseSimulatorArgs(argv, {})).toThrow(message);
  });

  it('should recognise --help', () => {
    expect(parseSimulatorArgs(['--help'], {}).help).toBe(true);
  });
});
