import { EXIT_USAGE } from './cli-args';
import { REBUILD_USAGE, rebuild } from './rebuild.cli';
import { RECONCILE_USAGE, reconcile } from './reconcile.cli';

// Nothing is listening on these: a CLI that went past its argument check would fail (or hang) instead of answering.
/** 'ran' unless it answers within 3 s (a CLI that went on to connect would not). */
const within3s = (p: Promise<number>) => Promise.race([p, new Promise((r) => setTimeout(() => r('ran'), 3000).unref())]);

const UNREACHABLE = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:1/bb_unreachable',
  KAFKA_BROKERS: '127.0.0.1:1',
  REDIS_URL: 'redis://127.0.0.1:1',
};

describe('statistics CLIs: arguments are checked before anything is opened', () => {
  const saved = { ...process.env };
  let out: jest.SpyInstance;
  let err: jest.SpyInstance;
  beforeEach(() => {
    Object.assign(process.env, UNREACHABLE);
    out = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    err = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    process.env = { ...saved };
    out.mockRestore();
    err.mockRestore();
  });

  it.each([
    ['rebuild', rebuild, REBUILD_USAGE],
    ['reconcile', reconcile, RECONCILE_USAGE],
  ] as const)('%s --help prints its usage and exits 0 without truncating or reading anything', async (_name, cli, usage) => {
    await expect(within3s(cli(['--help']))).resolves.toBe(0);
    expect(out).toHaveBeenCalledWith(usage);
  });

  it.each([
    ['rebuild', rebuild],
    ['reconcile', reconcile],
  ] as const)('%s with an unknown option is a usage error (64) naming it', async (_name, cli) => {
    await expect(within3s(cli(['--topic', 'x']))).resolves.toBe(EXIT_USAGE);
    expect(String(err.mock.calls[0]?.[0])).toContain('"--topic"');
  });
});
