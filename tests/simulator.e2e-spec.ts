import { spawn } from 'node:child_process';
import path from 'node:path';
import { toVnDate } from '@onestop/domain';
import { eventually, repoRoot } from '@onestop/testing';
import { type Json } from './support/api';
import { JWT, startStack, type Stack } from './support/stack';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the simulator CLI exactly as a user would (`npm run simulate -- ...` runs the same file). */
function runSimulator(args: string[], timeoutMs = 150_000): Promise<CliRun> {
  const root = repoRoot();
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['-r', path.join(root, 'tools/ts-register.cjs'), path.join(root, 'apps/simulator/src/main.ts'), ...args], {
      cwd: root,
      env: { ...process.env, JWT_SECRET: JWT.secret, JWT_ISSUER: JWT.issuer },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('error', reject);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * The traffic simulator against the whole running system (intake, processing, result, statistics as child
 * processes; real Kafka, Postgres, Redis): every planned lifecycle completes, and the statistics service's
 * counts for the province equal what the simulator did.
 */
describe('traffic simulator on the whole system', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack(120_000, { statistics: true });
  }, 200_000);

  afterAll(async () => {
    await stack?.stop();
  });

  const urlArgs = () => [
    '--intake-url',
    stack.urls['intake-service'],
    '--processing-url',
    stack.urls['processing-service'],
    '--result-url',
    stack.urls['result-service'],
  ];

  it('should drive every planned lifecycle to its end and be counted exactly by the statistics service', async () => {
    const run = await runSimulator(['--dossiers', '30', '--rate', '15', '--concurrency', '10', '--provinces', '01', '--units-per-province', '3', '--seed', '20251124', ...urlArgs()]);
    if (run.code !== 0) throw new Error(`simulator exited ${run.code}\n${run.stderr.slice(-3000)}`);
    expect(run.stderr).toMatch(/\[simulate\] seed 20251124: 30 at 15\/s over 3 commune one-stop units/);
    expect(run.stderr).toMatch(/started 30 {2}done 30 /); // the last progress line
    const report = JSON.parse(run.stdout) as Json;
    expect(report).toMatchObject({ started: 30, finished: 30, failed: 0, failures: [] });
    const dossiers = report.dossiers as { code: string; unitCode: string; channel: string; outcome: string }[];
    expect(new Set(dossiers.map((d) => d.code)).size).toBe(30);
    expect(new Set(dossiers.map((d) => d.unitCode)).size).toBeGreaterThan(1);
    expect(dossiers.every((d) => d.unitCode.startsWith('01.'))).toBe(true);
    // a seed of 30 dossiers exercises more than one path
    expect(Object.values(report.byOutcome as Record<string, number>).filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);

    const received = dossiers.filter((d) => d.outcome !== 'INTAKE_REJECTED');
    const count = (pred: (d: (typeof dossiers)[number]) => boolean) => dossiers.filter(pred).length;
    const expected = {
      received: received.length,
      receivedOnline: received.filter((d) => d.channel === 'ONLINE').length,
      intakeRejected: count((d) => d.outcome === 'INTAKE_REJECTED'),
      refused: count((d) => d.outcome === 'REFUSED'),
      withdrawn: count((d) => d.outcome === 'WITHDRAWN'),
      resolved: count((d) => d.outcome === 'RESOLVED'),
    };
    const period = `Y${toVnDate(Date.now()).slice(0, 4)}`;
    const statsUrl = stack.urls['statistics-service']!;
    const seen = await eventually(
      async () => {
        const r = await fetch(`${statsUrl}/v1/units/01/indicators?period=${period}`);
        if (r.status !== 200) return null;
        const body = (await r.json()) as Json;
        const counts = body.data.counts as Record<string, number>;
        const got = Object.fromEntries(Object.keys(expected).map((k) => [k, counts[k] ?? 0]));
        return JSON.stringify(got) === JSON.stringify(expected) && body.data.gauges?.inProgress === count((d) => d.outcome === 'OPEN') ? body : null;
      },
      `statistics counts of province 01 equal the simulator's ${JSON.stringify(expected)}`,
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(seen.data.counts.received).toBe(expected.received);
  });

  it('should explain bad options and refuse to start', async () => {
    const run = await runSimulator(['--rate', 'fast', ...urlArgs()]);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('--rate must be a number of dossiers per second');
    const unknownProvince = await runSimulator(['--provinces', '99', ...urlArgs()]);
    expect(unknownProvince.code).toBe(64);
    expect(unknownProvince.stderr).toContain('unknown province code "99"');
  });

  it('should say which service is not ready instead of failing lifecycles', async () => {
    const run = await runSimulator(['--dossiers', '1', '--intake-url', 'http://127.0.0.1:9', '--processing-url', stack.urls['processing-service'], '--result-url', stack.urls['result-service']]);
    expect(run.code).toBe(69);
    expect(run.stderr).toContain('the intake service is not ready at http://127.0.0.1:9');
  });
});
