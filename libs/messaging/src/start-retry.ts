/** How a start loop retries: the first delay, doubled after each failure up to `maxMs`. */
export interface StartRetryOptions {
  initialMs: number;
  maxMs: number;
  /** True once the owner shuts down: no further attempt, and a failure then is not reported. */
  stopped: () => boolean;
  /** A failed attempt (1-based count) and the delay before the next one; awaited (e.g. a clean-up) before the wait. */
  onFailure: (error: unknown, attempt: number, delayMs: number) => void | Promise<void>;
}

export interface StartRetryLoop {
  /** Settles once an attempt succeeded or the owner stopped (never rejects because of a failed attempt). */
  readonly done: Promise<void>;
  /** Ends the current wait at once (a shutdown does not sit out a 30 s delay). */
  wake(): void;
}

/**
 * Runs `attempt` until it succeeds or `stopped()` is true, waiting between failures with a growing delay; the
 * wait can be cut short by `wake()`. The start loops of the lifecycle consumers and the outbox relay share it: each
 * brings its own attempt (what to create and connect), logging and state (ADR 0304 amendment).
 */
export function retryUntilStarted(attempt: () => Promise<void>, o: StartRetryOptions): StartRetryLoop {
  let wakeWait: (() => void) | undefined;
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeWait = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wakeWait = undefined;
    });
  const run = async (): Promise<void> => {
    let delay = o.initialMs;
    for (let n = 1; !o.stopped(); n++) {
      try {
        await attempt();
        return;
      } catch (err) {
        if (o.stopped()) return;
        await o.onFailure(err, n, delay);
        await wait(delay);
        delay = Math.min(delay * 2, o.maxMs);
      }
    }
  };
  return { done: run(), wake: () => wakeWait?.() };
}
