import { type Kafka, logLevel, type LogEntry } from 'kafkajs';
import { Client } from 'pg';
import { createClient } from 'redis';
import { createKafka } from '@onestop/messaging';

/** Exit code of a CLI that could not run (unchanged: the statistics CLIs have always answered 2). */
export const EXIT_FAILED = 2;

/** What every statistics CLI's usage says about failures. */
export const FAILURE_USAGE = `A failure prints one line on stderr naming what failed and what to check; --verbose (or DEBUG=1) adds the
stack and the Kafka client's own log.`;

/** A failure the CLI explains in one line (`line`, prefixed with the CLI's name); `cause` is printed only when verbose. */
export class CliFailure extends Error {
  constructor(
    readonly line: string,
    override readonly cause?: unknown,
  ) {
    super(line);
  }
}

/** `--verbose` / `-v` on the command line or DEBUG=1 (or true) in the environment. */
export function splitVerbose(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): { verbose: boolean; args: string[] } {
  const args = argv.filter((a) => a !== '--verbose' && a !== '-v');
  const debug = (env['DEBUG'] ?? '').trim().toLowerCase();
  return { verbose: args.length !== argv.length || debug === '1' || debug === 'true', args };
}

/** `host:port/database` of a Postgres URL, without user or password. */
export function postgresTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || '127.0.0.1'}:${u.port || '5432'}${u.pathname || '/'}`;
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

function reasonOf(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return reasonOf(err.errors[0]);
  const e = err as { code?: string; message?: string } | null;
  const msg = (e?.message ?? String(err)).split('\n')[0]!.trim();
  if (msg) return msg;
  return e?.code ?? 'unknown error';
}

/**
 * Connects once to the database of `url` (5 s at most) so that a missing database, a wrong port or refused
 * credentials end the CLI with one line instead of a driver / TypeORM stack.
 */
export async function checkPostgres(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new CliFailure(`cannot connect to Postgres at ${postgresTarget(url)} (${reasonOf(err)}): check DATABASE_URL and that Postgres runs`, err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `host:port/db` of a Redis URL, without user or password. */
export function redisTarget(url: string): string {
  try {
    const u = new URL(url);
    const db = u.pathname.replace(/^\//, '') || '0';
    return `${u.hostname || '127.0.0.1'}:${u.port || '6379'}/${db}`;
  } catch {
    return '(unparsable REDIS_URL)';
  }
}

/**
 * Connects once to Redis (about 3 s at most, no reconnection) and PINGs, so that a wrong REDIS_URL ends the CLI
 * with one line instead of a client that retries for ever in silence.
 */
export async function checkRedis(url: string, timeoutMs = 3000): Promise<void> {
  let client: ReturnType<typeof createClient> | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    client = createClient({ url, socket: { connectTimeout: timeoutMs + 1000, reconnectStrategy: false } });
    client.on('error', () => undefined);
    const c = client;
    await Promise.race([
      c.connect().then(() => c.ping()),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    throw new CliFailure(`cannot connect to Redis at ${redisTarget(url)} (${reasonOf(err)}): check REDIS_URL and that Redis runs`, err);
  } finally {
    clearTimeout(timer);
    if (client?.isReady) await client.close().catch(() => undefined);
    else client?.destroy();
  }
}

/**
 * A kafkajs client for the CLIs: short connection timeout and few retries (an unreachable broker fails in a few
 * seconds, not after ~25 s of retries), its own logger silent unless `verbose` (then warnings and errors, one JSON
 * line each on stderr): what went wrong is in the error the CLI summarises.
 */
export function cliKafka(brokers: string[], clientId: string, verbose: boolean): Kafka {
  const logCreator = () => (entry: LogEntry) => {
    if (verbose && entry.level <= logLevel.WARN) process.stderr.write(`${JSON.stringify({ kafkajs: entry.namespace, ...entry.log })}\n`);
  };
  return createKafka(
    { brokers, clientId, level: logLevel.ERROR },
    { logCreator, connectionTimeout: 2000, requestTimeout: 10_000, retry: { initialRetryTime: 200, retries: 2, maxRetryTime: 1000 } },
  );
}

/**
 * Connects to the brokers and lists the topics; with `topic`, also checks it exists. Fails with one line
 * naming KAFKA_BROKERS / STATS_TOPIC.
 */
export async function checkKafka(kafka: Kafka, brokers: string[], topic?: string): Promise<string[]> {
  const admin = kafka.admin();
  let topics: string[];
  try {
    await admin.connect();
    topics = await admin.listTopics();
  } catch (err) {
    throw new CliFailure(`cannot reach the Kafka broker(s) ${brokers.join(',')} (${reasonOf(err)}): check KAFKA_BROKERS and that the broker runs`, err);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  if (topic !== undefined && !topics.includes(topic)) {
    throw new CliFailure(`topic ${topic} does not exist on the broker(s) ${brokers.join(',')}: check STATS_TOPIC`);
  }
  return topics;
}

/** The one summary line of a failure (without the CLI's name). */
export function failureLine(err: unknown): string {
  if (err instanceof CliFailure) return err.line;
  return `failed: ${reasonOf(err)} (run again with --verbose or DEBUG=1 for the details)`;
}

/**
 * Runs a CLI's main function as a process: exits with its code; on a failure prints ONE line on stderr
 * (`<name>: <what failed and what to check>`), plus the stack when verbose, and exits EXIT_FAILED (2).
 */
export function runCli(name: string, main: (argv: readonly string[]) => Promise<number>, argv: readonly string[] = process.argv.slice(2)): void {
  const { verbose } = splitVerbose(argv);
  main(argv).then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (verbose) {
        const cause = err instanceof CliFailure ? err.cause : err;
        if (cause !== undefined) process.stderr.write(`${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}\n`);
      }
      process.stderr.write(`${name}: ${failureLine(err)}\n`);
      process.exit(EXIT_FAILED);
    },
  );
}
