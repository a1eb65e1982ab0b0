import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '@onestop/testing';

export interface Child {
  name: string;
  proc: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs a TypeScript entry point (`node -r tools/ts-register.cjs <entry>`) as a child process with `env`. */
export function spawnTs(name: string, entry: string, env: Record<string, string>): Child {
  const root = repoRoot();
  const proc = spawn(process.execPath, ['-r', path.join(root, 'tools/ts-register.cjs'), path.join(root, entry)], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'info', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (buf: Buffer) => {
    lines.push(...buf.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 2000) lines.splice(0, lines.length - 2000);
  };
  proc.stdout?.on('data', collect);
  proc.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { name, proc, lines, exited };
}

/**
 * statistics-service as a child process on a free port (127.0.0.1), on the suite's own database, topic and Redis
 * prefix; `extra` adds or overrides settings (e.g. `STATS_CONSUMER_ENABLED: 'false'`).
 */
export function spawnStatistics(s: { kafkaBrokers: string[]; databaseUrl: string; redisUrl: string; topic: string; groupId: string; redisPrefix: string }, extra: Record<string, string> = {}): Child {
  return spawnTs('statistics-service', 'apps/statistics-service/src/main.ts', {
    KAFKA_BROKERS: s.kafkaBrokers.join(','),
    DATABASE_URL: s.databaseUrl,
    REDIS_URL: s.redisUrl,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    STATS_TOPIC: s.topic,
    STATS_GROUP_ID: s.groupId,
    STATS_REDIS_PREFIX: s.redisPrefix,
    ...extra,
  });
}

/** The URL a child logged in its `{"msg":"listening","url":…}` line, within `timeoutMs`. */
export async function listeningUrl(child: Child, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const line of child.lines) {
      if (!line.includes('"listening"')) continue;
      try {
        const url = (JSON.parse(line) as { url?: unknown }).url;
        if (typeof url === 'string') return url.replace('[::1]', '127.0.0.1');
      } catch {
        // not a JSON line
      }
    }
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${child.name} did not start listening within ${timeoutMs} ms:\n${child.lines.slice(-30).join('\n')}`);
}

/** SIGTERM, then SIGKILL after 10 s; only this child's own PID. */
export async function stopChild(child: Child | undefined): Promise<void> {
  if (!child) return;
  const { proc } = child;
  if (proc.exitCode !== null || proc.signalCode !== null || !proc.pid) return;
  proc.kill('SIGTERM');
  const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await child.exited;
  clearTimeout(t);
}
