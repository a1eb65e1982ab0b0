import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where the test infrastructure came from, in the order it is looked for. */
export type InfraSource = 'env' | 'testcontainers' | 'local';

export interface InfraEndpoints {
  kafkaBrokers: string[];
  databaseUrl: string;
  redisUrl: string;
  source: InfraSource;
}

export const ENV = {
  kafka: 'KAFKA_BROKERS',
  database: 'DATABASE_URL',
  redis: 'REDIS_URL',
  source: 'ONESTOP_INFRA_SOURCE',
  startedKafka: 'ONESTOP_TEST_STARTED_KAFKA',
} as const;

export const LOCAL = {
  kafkaBrokers: ['127.0.0.1:9092'],
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: 'redis://127.0.0.1:6379',
} as const;

export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'nx.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root (nx.json) above ' + __dirname);
    dir = up;
  }
  return dir;
}

export function portOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function hostPort(broker: string): [string, number] {
  const [host, port] = broker.split(':');
  return [host ?? '127.0.0.1', Number(port ?? 9092)];
}

/** Reads the endpoints a parent process (the test wrapper or Jest global setup) put in the environment. */
export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): InfraEndpoints {
  const kafka = env[ENV.kafka];
  const database = env[ENV.database];
  const redis = env[ENV.redis];
  if (!kafka || !database || !redis) {
    throw new Error(
      `test infrastructure not configured: ${ENV.kafka}, ${ENV.database} and ${ENV.redis} must be set ` +
        '(Jest global setup from @onestop/testing does this)',
    );
  }
  return {
    kafkaBrokers: kafka.split(',').map((b) => b.trim()),
    databaseUrl: database,
    redisUrl: redis,
    source: (env[ENV.source] as InfraSource | undefined) ?? 'env',
  };
}

async function dockerReachable(): Promise<boolean> {
  if (process.env['ONESTOP_NO_TESTCONTAINERS'] === '1') return false;
  const socket = process.env['DOCKER_HOST'] ?? '/var/run/docker.sock';
  if (!process.env['DOCKER_HOST'] && !existsSync(socket)) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const client = await Promise.race([
      getContainerRuntimeClient(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000)),
    ]);
    return Boolean(client);
  } catch {
    return false;
  }
}

export interface StartedInfra {
  endpoints: InfraEndpoints;
  stop: () => Promise<void>;
}

/**
 * Finds Kafka, Postgres and Redis: URLs from the environment first; Testcontainers when a Docker engine
 * is reachable; otherwise the machine's local Postgres and Redis and the broker of deploy/local/kafka.sh
 * (started here when it is not running, and stopped again by `stop`).
 */
export async function provideInfra(log: (msg: string) => void = () => undefined): Promise<StartedInfra> {
  const env = process.env;
  if (env[ENV.kafka] && env[ENV.database] && env[ENV.redis]) {
    return { endpoints: { ...endpointsFromEnv(env), source: (env[ENV.source] as InfraSource) ?? 'env' }, stop: async () => undefined };
  }
  if (await dockerReachable()) {
    log('Docker engine reachable: starting Testcontainers (apache/kafka, postgres, redis)');
    return startContainers();
  }
  return startLocal(log);
}

async function startContainers(): Promise<StartedInfra> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const { RedisContainer } = await import('@testcontainers/redis');
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const [pg, redis, kafka] = await Promise.all([
    new PostgreSqlContainer('postgres:15-alpine').withUsername('postgres').withPassword('postgres').start(),
    new RedisContainer('redis:7-alpine').start(),
    new KafkaContainer('apache/kafka:4.1.1').withKraft().start(),
  ]);
  const endpoints: InfraEndpoints = {
    kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
    databaseUrl: pg.getConnectionUri(),
    redisUrl: redis.getConnectionUrl(),
    source: 'testcontainers',
  };
  return {
    endpoints,
    stop: async () => {
      await Promise.allSettled([pg.stop(), redis.stop(), kafka.stop()]);
    },
  };
}

async function startLocal(log: (msg: string) => void): Promise<StartedInfra> {
  const endpoints: InfraEndpoints = {
    kafkaBrokers: process.env[ENV.kafka]?.split(',') ?? [...LOCAL.kafkaBrokers],
    databaseUrl: process.env[ENV.database] ?? LOCAL.databaseUrl,
    redisUrl: process.env[ENV.redis] ?? LOCAL.redisUrl,
    source: 'local',
  };
  const [kHost, kPort] = hostPort(endpoints.kafkaBrokers[0] ?? LOCAL.kafkaBrokers[0]);
  let startedKafka = false;
  if (!(await portOpen(kHost, kPort))) {
    log('no Kafka broker on ' + `${kHost}:${kPort}` + ': starting deploy/local/kafka.sh');
    const script = path.join(repoRoot(), 'deploy/local/kafka.sh');
    await run('bash', [script, 'start'], { env: { ...process.env, KAFKA_PORT: String(kPort) }, timeout: 15 * 60_000 });
    startedKafka = true;
  }
  return {
    endpoints,
    stop: async () => {
      if (startedKafka) {
        // the same KAFKA_PORT as the start: a broker on another port keeps its own folder (.kafka-<port>)
        await run('bash', [path.join(repoRoot(), 'deploy/local/kafka.sh'), 'stop'], { env: { ...process.env, KAFKA_PORT: String(kPort) }, timeout: 60_000 });
      }
    },
  };
}

export function exportEndpoints(e: InfraEndpoints, env: NodeJS.ProcessEnv = process.env): void {
  env[ENV.kafka] = e.kafkaBrokers.join(',');
  env[ENV.database] = e.databaseUrl;
  env[ENV.redis] = e.redisUrl;
  env[ENV.source] = e.source;
}
