import { spawn, type ChildProcess } from 'node:child_process';
import { repoRoot } from '@onestop/testing';
import { appEntry } from './child-process';

export interface ImportCliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the import CLI (`src/cli/import.cli.ts` through the SWC register hook) on `file` with the suite's env and
 * no relay. `onProgress` is called once, with the child, when the first progress line shows on stderr (the
 * import is under way and its signal handlers are installed), e.g. to interrupt it.
 */
export function runImportCli(file: string, args: string[], env: Record<string, string>, onProgress?: (child: ChildProcess) => void): Promise<ImportCliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...appEntry().cliArgs, file, ...args], { cwd: repoRoot(), env: { ...process.env, ...env, OUTBOX_RELAY_ENABLED: 'false' } });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (onProgress && !signalled && /line \d+\//.test(stderr)) {
        signalled = true;
        onProgress(child);
      }
    });
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
