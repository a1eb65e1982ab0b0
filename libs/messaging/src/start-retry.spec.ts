import { retryUntilStarted } from './start-retry';

describe('retryUntilStarted', () => {
  it('should retry a failing attempt with a doubling delay capped at maxMs, report each failure, and stop at the first success', async () => {
    const failures: [string, number, number][] = [];
    let calls = 0;
    const loop = retryUntilStarted(
      async () => {
        calls++;
        if (calls < 5) throw new Error(`down ${calls}`);
      },
      { initialMs: 5, maxMs: 20, stopped: () => false, onFailure: (err, n, delay) => void failures.push([(err as Error).message, n, delay]) },
    );
    await loop.done;
    expect(calls).toBe(5);
    expect(failures).toEqual([
      ['down 1', 1, 5],
      ['down 2', 2, 10],
      ['down 3', 3, 20],
      ['down 4', 4, 20],
    ]);
  });

  it('should await an asynchronous clean-up of a failure before the next attempt', async () => {
    const log: string[] = [];
    let calls = 0;
    await retryUntilStarted(
      async () => {
        log.push(`attempt ${++calls}`);
        if (calls === 1) throw new Error('down');
      },
      {
        initialMs: 1,
        maxMs: 1,
        stopped: () => false,
        onFailure: async () => {
          await new Promise((r) => setTimeout(r, 20));
          log.push('cleaned up');
        },
      },
    ).done;
    expect(log).toEqual(['attempt 1', 'cleaned up', 'attempt 2']);
  });

  it('should end a long wait at once on wake() once stopped, without another attempt or report', async () => {
    let stopped = false;
    let calls = 0;
    const reported: number[] = [];
    const loop = retryUntilStarted(
      async () => {
        calls++;
        throw new Error('down');
      },
      { initialMs: 60_000, maxMs: 60_000, stopped: () => stopped, onFailure: (_e, n) => void reported.push(n) },
    );
    await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    stopped = true;
    loop.wake();
    await loop.done;
    expect(Date.now() - t0).toBeLessThan(1000);
    expect([calls, reported]).toEqual([1, [1]]);
  });

  it('should not report a failure that happens after the owner stopped', async () => {
    let stopped = false;
    const reported: number[] = [];
    await retryUntilStarted(
      async () => {
        stopped = true; // shutdown while the attempt was in flight
        throw new Error('disconnected by the shutdown');
      },
      { initialMs: 1, maxMs: 1, stopped: () => stopped, onFailure: (_e, n) => void reported.push(n) },
    ).done;
    expect(reported).toEqual([]);
  });
});
