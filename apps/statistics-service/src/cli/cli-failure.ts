import { type Kafka, logLevel, type LogEntry } from 'kafkajs';
import { CliFailure, reasonOf, runCli as runSharedCli } from '@onestop/persistence';
import { createClient } from 'redis';
import { createKafka } from '@onestop/messaging';

export { CliFailure, checkPostgres, failureLine, postgresTarget, splitVerbose } from '@onestop/persistence';

/** Exit code of a CLI that could not run (unchanged: the statistics CLIs have always answered 2). */
export const EXIT_FAILED = 2;

/** What every statistics CLI's usage says about failures. */
export const FAILURE_USAGE = `A failure prints one line on stderr naming what failed and what to check; --verbose (or DEBUG=1) adds the
stack and the Kafka client's own log.`;

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

/** Runs a statistics CLI (persistence's `runCli`): its main sees `--verbose` itself; a failure exits 2. */
export function runCli(name: string, main: (argv: readonly string[]) => Promise<number>): void {
  runSharedCli(name, main, { defaultExitCode: EXIT_FAILED, keepVerboseArgs: true });
}
