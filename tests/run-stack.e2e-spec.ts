import { spawn, type ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { createTestDatabase, dropRedisKeys, endpointsFromEnv, eventually, freePort, repoRoot, uniqueName, type TestDatabase } from '@onestop/testing';

/** True when something accepts connections on the loopback port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** A base port with the 5 ports of a stack (base … base+4) free. */
async function freeBase(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const taken = await Promise.all([0, 1, 2, 3, 4].map((k) => listening(base + k)));
    if (!taken.some(Boolean)) return base;
  }
  throw new Error('no 5 consecutive free ports found');
}

/**
 * `npm start` (deploy/local/run-stack.sh) moved off its default ports, as a user with port 3001 or 9092 taken (or a
 * second stack on the machine) runs it: STACK_PORT_BASE and KAFKA_PORT place the services, the dashboard's upstream
 * and the broker it starts; Ctrl-C then stops everything it started, its broker included.
 */
describe('npm start on other ports (deploy/local/run-stack.sh, real broker, Postgres, Redis)', () => {
  /** The broker's folder kafka.sh derives from KAFKA_PORT (`<repo>/.kafka-<port>`, git-ignored); removed afterwards. */
  let home: string | undefined;
  /** The stack's log folder (`<repo>/.run-<base>`, git-ignored); removed afterwards. */
  let logs: string | undefined;
  let db: TestDatabase;
  let stack: ChildProcess | undefined;
  let out = '';
  const prefix = `${uniqueName('stack')}:`;

  beforeAll(async () => {
    db = await createTestDatabase('run_stack');
  });

  afterAll(async () => {
    if (stack && stack.exitCode === null && stack.signalCode === null) {
      try {
        process.kill(-stack.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (home) {
      const env = { ...process.env, KAFKA_HOME: home };
      await new Promise((r) => spawn('bash', [path.join(repoRoot(), 'deploy/local/kafka.sh'), 'stop'], { env, stdio: 'ignore' }).on('exit', r));
      await rm(home, { recursive: true, force: true });
    }
    if (logs) await rm(logs, { recursive: true, force: true });
    await db?.drop();
    await dropRedisKeys(endpointsFromEnv().redisUrl, prefix);
  });

  it('should run the services, the dashboard and its own broker on the ports asked for, and stop them all on Ctrl-C', async () => {
    const base = await freeBase();
    logs = path.join(repoRoot(), `.run-${base}`);
    const kafkaPort = await freePort();
    home = path.join(repoRoot(), `.kafka-${kafkaPort}`);
    stack = spawn('bash', [path.join(repoRoot(), 'deploy/local/run-stack.sh')], {
      cwd: repoRoot(),
      detached: true, // its own process group: Ctrl-C reaches the script and the services it started, as in a terminal
      env: {
        ...process.env,
        KAFKA_BROKERS: '', // unset: the script derives it from KAFKA_PORT
        KAFKA_PORT: String(kafkaPort), // its folder (.kafka-<port>) and controller port (<port>+1) follow
        KAFKA_CONTROLLER_PORT: '',
        KAFKA_HOME: '',
        KAFKA_HEAP: '384m',
        STACK_PORT_BASE: String(base),
        STATISTICS_URL: '', // unset: the dashboard's upstream follows STACK_PORT_BASE
        SERVICES: 'statistics-service dashboard',
        DATABASE_URL: db.url,
        REDIS_URL: endpointsFromEnv().redisUrl,
        STATS_REDIS_PREFIX: prefix,
        STATS_TOPIC: uniqueName('stack.public'),
        STATS_GROUP_ID: uniqueName('stack-stats'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer) => (out = (out + d.toString()).slice(-20_000));
    stack.stdout!.on('data', keep);
    stack.stderr!.on('data', keep);
    await eventually(() => out.includes('[stack] running'), 'the stack running', { timeoutMs: 300_000 }).catch((err: Error) => {
      throw new Error(`${err.message}; its output:\n${out}`);
    });
    expect(out).toContain(`statistics-service ready: http://127.0.0.1:${base + 3}`);
    expect(out).toContain(`dashboard ready: http://127.0.0.1:${base + 4}`);
    expect(out).toContain(`log .run-${base}/statistics-service.log`);

    // the statistics service consumes from the broker the script started on KAFKA_PORT
    expect(await listening(kafkaPort)).toBe(true);
    await eventually(
      async () => {
        const r = await fetch(`http://127.0.0.1:${base + 3}/health/ready`);
        const body = (await r.json()) as { info?: { consumer?: { brokerReachable?: boolean; state?: string } } };
        return body.info?.consumer?.brokerReachable === true && body.info.consumer.state === 'running';
      },
      'statistics consumer running on the stack broker',
      { timeoutMs: 120_000 },
    );
    // the dashboard's proxy reaches the statistics service of this stack (STATISTICS_URL follows the base)
    const viaDashboard = await fetch(`http://127.0.0.1:${base + 4}/api/v1/units/VN/indicators?period=M2026-11`);
    expect(viaDashboard.status).toBe(200);
    expect(((await viaDashboard.json()) as { data: { unitId: string } }).data.unitId).toBe('VN');

    // `kafka.sh` with the same KAFKA_PORT finds that broker (its own folder), not the default one
    const status = await new Promise<string>((resolve) => {
      let text = '';
      const p = spawn('bash', [path.join(repoRoot(), 'deploy/local/kafka.sh'), 'status'], { env: { ...process.env, KAFKA_PORT: String(kafkaPort), KAFKA_HOME: '' } });
      p.stdout.on('data', (d: Buffer) => (text += d.toString()));
      p.on('exit', () => resolve(text));
    });
    expect(status).toMatch(/^running/);

    // a service that ends is reported with a restart hint carrying this stack's settings (not the default database)
    const pid = Number(/statistics-service starting on \S+ \(pid (\d+)/.exec(out)?.[1]);
    process.kill(pid, 'SIGTERM');
    await eventually(() => out.includes('start it again in another terminal'), 'the restart hint', { timeoutMs: 60_000 });
    const hint = out.split('\n').find((l) => l.includes('start it again'))!;
    for (const part of [`STACK_PORT_BASE=${base}`, `KAFKA_PORT=${kafkaPort}`, `DATABASE_URL=${db.url}`, 'SERVICES=statistics-service npm start']) expect(hint).toContain(part);

    // Ctrl-C: the script, the services and the broker it started all stop
    const exited = new Promise<void>((r) => stack!.once('exit', () => r()));
    process.kill(-stack.pid!, 'SIGINT');
    await exited;
    await eventually(async () => !(await listening(kafkaPort)), 'broker stopped', { timeoutMs: 60_000 });
    for (const port of [base + 3, base + 4]) expect(await listening(port)).toBe(false);
    expect(out).toContain('the others keep running');
    expect(out).toContain('[stack] stopped');
  }, 400_000);
});
