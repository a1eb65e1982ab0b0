import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@onestop/testing';

const run = promisify(execFile);

/** Compiles the app (and the libs it imports) with tsc into a temporary folder under test/. */
export async function compileApp(): Promise<{ mainJs: string; cliJs: string; remove: () => void }> {
  const root = repoRoot();
  const outDir = mkdtempSync(path.join(root, 'apps/intake-service/test/.build-'));
  await run('npx', ['tsc', '-p', 'apps/intake-service/tsconfig.app.json', '--outDir', outDir, '--sourceMap', 'false'], { cwd: root, timeout: 180_000 });
  return {
    mainJs: path.join(outDir, 'apps/intake-service/src/main.js'),
    cliJs: path.join(outDir, 'apps/intake-service/src/cli/import.cli.js'),
    remove: () => rmSync(outDir, { recursive: true, force: true }),
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
export async function startChild(mainJs: string, env: Record<string, string>, timeoutMs = 30_000): Promise<Child> {
  const port = await freePort();
  const proc = spawn(process.execPath, [mainJs], { env: { ...process.env, ...env, HTTP_PORT: String(port), HTTP_HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
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
