import { createServer } from 'node:net';

/** A TCP port nothing listens on right now (127.0.0.1), for a broker or a service a test starts by itself. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
