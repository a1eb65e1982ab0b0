import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { createTestDatabase, createTopicsAndWait, dropRedisKeys, endpointsFromEnv, repoRoot, testKafka, uniqueName, type TestDatabase } from '@onestop/testing';

export const SERVICES = ['intake-service', 'processing-service', 'result-service'] as const;
export type LifecycleServiceName = (typeof SERVICES)[number];
export type ServiceName = LifecycleServiceName | 'statistics-service';

export const JWT = { secret: 'e2e-secret-0123456789-abcdefghijklmnopqrstuvwxyz', issuer: 'onestop-pulse' };

interface Running {
  name: ServiceName;
  proc: ChildProcess;
  url: string;
  output: () => string;
}

export interface Stack {
  urls: Record<LifecycleServiceName, string> & { 'statistics-service'?: string };
  topics: { internal: string; public: string };
  db: TestDatabase;
  /** Last lines of a service's log (for failure messages). */
  log: (name: ServiceName) => string;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function startService(name: ServiceName, env: Record<string, string>, timeoutMs: number): Promise<Running> {
  const root = repoRoot();
  const port = await freePort();
  const proc = spawn(process.execPath, ['-r', path.join(root, 'tools/ts-register.cjs'), path.join(root, `apps/${name}/src/main.ts`)], {
    cwd: root,
    env: { ...process.env, ...env, HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`${name} exited during start:\n${out}`);
    try {
      if ((await fetch(`${url}/health/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${name} not ready within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { name, proc, url, output: () => out };
}

async function stopService(s: Running): Promise<void> {
  if (s.proc.exitCode !== null || s.proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => s.proc.once('exit', () => r()));
  s.proc.kill('SIGTERM');
  const timer = setTimeout(() => s.proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts intake, processing and result (and, with `statistics`, the statistics service on the public topic)
 * as child processes from source (the SWC register hook), on a fresh database and suite-unique topics,
 * consumer groups and Redis prefix. Only the PIDs started here are ever killed.
 */
export async function startStack(timeoutMs = 90_000, opts: { statistics?: boolean } = {}): Promise<Stack> {
  const db = await createTestDatabase('e2e');
  const internal = uniqueName('e2e_lifecycle').replace(/_/g, '.');
  const publicTopic = uniqueName('e2e_public').replace(/_/g, '.');
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopicsAndWait(admin, [internal, `${internal}.dlq`, publicTopic, `${publicTopic}.dlq`].map((topic) => ({ topic, numPartitions: 3, replicationFactor: 1 })));
  } finally {
    await admin.disconnect();
  }
  const env = {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: endpointsFromEnv().kafkaBrokers.join(','),
    TOPIC_DOSSIER_INTERNAL: internal,
    TOPIC_DOSSIER_PUBLIC: publicTopic,
    JWT_SECRET: JWT.secret,
    JWT_ISSUER: JWT.issuer,
    OUTBOX_RELAY_POLL_MS: '200',
    DEADLINE_POLL_INTERVAL_MS: '200',
  };
  const started: Running[] = [];
  const statsPrefix = `${uniqueName('e2e_stats')}:`;
  const dropStats = () => (opts.statistics ? dropRedisKeys(endpointsFromEnv().redisUrl, statsPrefix).catch(() => undefined) : Promise.resolve());
  try {
    const statisticsEnv = {
      ...env,
      REDIS_URL: endpointsFromEnv().redisUrl,
      STATS_TOPIC: publicTopic,
      STATS_GROUP_ID: uniqueName('statistics'),
      STATS_REDIS_PREFIX: statsPrefix,
      STATS_SESSION_TIMEOUT_MS: '6000',
    };
    const results = await Promise.allSettled([
      ...SERVICES.map((name) => startService(name, { ...env, CONSUMER_GROUP: uniqueName(name) }, timeoutMs)),
      ...(opts.statistics ? [startService('statistics-service', statisticsEnv, timeoutMs)] : []),
    ]);
    for (const r of results) if (r.status === 'fulfilled') started.push(r.value);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (err) {
    await Promise.all(started.map(stopService));
    await db.drop();
    await dropStats();
    throw err;
  }
  const byName = (n: ServiceName) => started.find((s) => s.name === n) as Running;
  return {
    urls: {
      'intake-service': byName('intake-service').url,
      'processing-service': byName('processing-service').url,
      'result-service': byName('result-service').url,
      ...(opts.statistics ? { 'statistics-service': byName('statistics-service').url } : {}),
    },
    topics: { internal, public: publicTopic },
    db,
    log: (n) => byName(n).output().slice(-4000),
    stop: async () => {
      await Promise.all(started.map(stopService));
      await db.drop();
      await dropStats();
    },
  };
}
