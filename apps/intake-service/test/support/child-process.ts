import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { repoRoot } from '@onestop/testing';

/**
 * How to run the service as a child process: the TypeScript sources through the repo's SWC register hook
 * (tools/ts-register.cjs, the lead's way to run apps), so no build step is needed before the fault tests.
 */
export function appEntry(): { mainArgs: string[]; cliArgs: string[] } {
  const root = repoRoot();
  const register = path.join(root, 'tools/ts-register.cjs');
  return {
    mainArgs: ['-r', register, path.join(root, 'apps/intake-service/src/main.ts')],
    cliArgs: ['-r', register, path.join(root, 'apps/intake-service/src/cli/import.cli.ts')],
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface Child {
  proc: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the compiled service as a child process and waits (bounded) until /health/live answers. */
export async function startChild(args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<Child> {
  const port = await freePort();
  const proc = spawn(process.execPath, args, { cwd: repoRoot(), env: { ...process.env, ...env, HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`child exited during start:\n${out}`);
    try {
      const r = await fetch(`${url}/health/live`);
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`child did not become live within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { proc, url, output: () => out, exited };
}

/** SIGKILLs only this child (by its PID) and waits for it to be gone. */
export async function killChild(child: Child): Promise<void> {
  if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL');
  await child.exited;
}
