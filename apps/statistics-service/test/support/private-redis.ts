import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { eventually } from '@onestop/testing';

/** A throw-away redis-server on a free port, so a FLUSHALL test never touches the shared Redis. */
export async function startPrivateRedis(): Promise<{ url: string; stop: () => Promise<void>; proc: ChildProcess }> {
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  await eventually(
    () => new Promise<boolean>((resolve) => {
      const c = net.connect({ port, host: '127.0.0.1' }, () => { c.destroy(); resolve(true); });
      c.on('error', () => resolve(false));
    }),
    'private redis-server up',
    { timeoutMs: 10_000 },
  );
  return {
    url: `redis://127.0.0.1:${port}`,
    proc,
    stop: async () => {
      proc.kill('SIGTERM');
      await exited;
    },
  };
}
