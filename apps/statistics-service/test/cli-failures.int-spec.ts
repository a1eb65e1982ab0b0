import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, endpointsFromEnv, uniqueName, type TestDatabase } from '@onestop/testing';

/**
 * The statistics CLIs, run as an operator runs them (child processes through the swc register), with a wrong
 * DATABASE_URL, an unreachable broker or Redis, or a missing topic: exit 2 with ONE line on stderr naming what failed and
 * what to check, no stack trace and no kafkajs retry log, within 10 s; the stack only with --verbose / DEBUG=1.
 */
const ROOT = path.resolve(__dirname, '../../..');
const CLIS = ['rebuild', 'reconcile', 'prune-dedup'] as const;
const BOUND_MS = 10_000;
const STACK = /^\s+at /m;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function runCli(cli: string, env: Record<string, string>, args: string[] = []): Promise<Run> {
  const started = Date.now();
  const proc = spawn(process.execPath, ['-r', path.join(ROOT, 'apps/statistics-service/test/support/swc-register.cjs'), path.join(ROOT, `apps/statistics-service/src/cli/${cli}.cli.ts`), ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  proc.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const killer = setTimeout(() => proc.kill('SIGKILL'), 40_000);
  return new Promise((resolve) =>
    proc.once('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    }),
  );
}

const lines = (s: string) => s.split('\n').filter((l) => l.trim().length > 0);

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function hasStatisticsSchema(url: string): Promise<boolean> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name = 'statistics'`);
    return rows.length > 0;
  } finally {
    await c.end();
  }
}

describe('statistics CLIs: a failure is one clear line on stderr, exit 2, in bounded time', () => {
  const e = endpointsFromEnv();
  const missing = uniqueName('stats_cli_missing');
  const base = {
    KAFKA_BROKERS: e.kafkaBrokers.join(','),
    REDIS_URL: e.redisUrl,
    STATS_TOPIC: uniqueName('stats.cli.none'),
    STATS_GROUP_ID: uniqueName('stats.cli.group'),
    STATS_REDIS_PREFIX: `${uniqueName('statscli')}:`,
  };
  let db: TestDatabase;
  const dbHost = new URL(e.databaseUrl);
  const target = (name: string) => `${dbHost.hostname}:${dbHost.port || '5432'}/${name}`;

  beforeAll(async () => {
    db = await createTestDatabase('stats_cli_fail');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it.each(CLIS)('%s with a DATABASE_URL naming a missing database: one line naming the database and DATABASE_URL, exit 2', async (cli) => {
    const run = await runCli(cli, { ...base, DATABASE_URL: withDatabase(e.databaseUrl, missing) });
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([`${cli}: cannot connect to Postgres at ${target(missing)} (database "${missing}" does not exist): check DATABASE_URL and that Postgres runs`]);
    expect(run.stderr).not.toMatch(STACK);
    expect(run.ms).toBeLessThan(BOUND_MS);
  });

  it.each(['rebuild', 'reconcile'] as const)('%s with an unreachable broker (127.0.0.1:1): one line naming it and KAFKA_BROKERS, no kafkajs log, exit 2 within 10 s, nothing changed', async (cli) => {
    const run = await runCli(cli, { ...base, DATABASE_URL: db.url, KAFKA_BROKERS: '127.0.0.1:1' });
    expect(run.code).toBe(2);
    const err = lines(run.stderr);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(new RegExp(`^${cli}: cannot reach the Kafka broker\\(s\\) 127\\.0\\.0\\.1:1 \\(.*ECONNREFUSED.*\\): check KAFKA_BROKERS and that the broker runs$`));
    expect(run.stderr + run.stdout).not.toMatch(/kafkajs|KafkaJS/);
    expect(run.stderr).not.toMatch(STACK);
    expect(run.ms).toBeLessThan(BOUND_MS);
    await expect(hasStatisticsSchema(db.url)).resolves.toBe(false); // stopped before migrating anything
  });

  it.each(['rebuild', 'reconcile'] as const)('%s with an unreachable Redis (127.0.0.1:1): one line naming it (never its password) and REDIS_URL, exit 2 within 10 s, nothing changed', async (cli) => {
    const run = await runCli(cli, { ...base, DATABASE_URL: db.url, REDIS_URL: 'redis://ops:s3cret@127.0.0.1:1/4' });
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([`${cli}: cannot connect to Redis at 127.0.0.1:1/4 (connect ECONNREFUSED 127.0.0.1:1): check REDIS_URL and that Redis runs`]);
    expect(run.stderr).not.toMatch(STACK);
    expect(run.ms).toBeLessThan(BOUND_MS);
    await expect(hasStatisticsSchema(db.url)).resolves.toBe(false); // stopped before migrating anything
  });

  it('reconcile with a STATS_TOPIC missing on the broker: one line naming the topic and STATS_TOPIC, exit 2', async () => {
    const run = await runCli('reconcile', { ...base, DATABASE_URL: db.url });
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([`reconcile: topic ${base.STATS_TOPIC} does not exist on the broker(s) ${base.KAFKA_BROKERS}: check STATS_TOPIC`]);
    expect(run.stderr).not.toMatch(STACK);
    expect(run.ms).toBeLessThan(BOUND_MS);
  });

  it.each([
    ['--verbose', ['--verbose'], {}],
    ['DEBUG=1', [], { DEBUG: '1' }],
  ] as const)('with %s: the stack of the cause too, the summary line last, exit 2', async (_how, args, extra) => {
    const run = await runCli('prune-dedup', { ...base, ...extra, DATABASE_URL: withDatabase(e.databaseUrl, missing) }, [...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(STACK);
    expect(lines(run.stderr).at(-1)).toBe(`prune-dedup: cannot connect to Postgres at ${target(missing)} (database "${missing}" does not exist): check DATABASE_URL and that Postgres runs`);
  });

  it.each(CLIS)('%s --help documents --verbose / DEBUG=1', async (cli) => {
    const run = await runCli(cli, { ...base, DATABASE_URL: withDatabase(e.databaseUrl, missing) }, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--verbose (or DEBUG=1)');
  });
});
