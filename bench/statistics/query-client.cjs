'use strict';
/**
 * The statistics bench's province-query client as its own process (the default since ADR 0406): a dashboard-like
 * client that only queries, so its latencies are not delayed by the bench's producer and freshness poller sharing
 * its event loop. It still competes for the same 2 cores as everything else.
 *   node bench/statistics/query-client.cjs <url> <interval-ms>
 * Queries until a line arrives on stdin (or stdin closes), then prints one JSON line: { latenciesMs, loopDelayP99Ms }.
 */
const { monitorEventLoopDelay, performance } = require('node:perf_hooks');

const [url, intervalArg] = process.argv.slice(2);
const interval = Number(intervalArg ?? 5);
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
let stop = false;
process.stdin.on('data', () => (stop = true));
process.stdin.on('end', () => (stop = true));

(async () => {
  const latenciesMs = [];
  let errors = 0;
  while (!stop) {
    const t = performance.now();
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status === 200) latenciesMs.push(performance.now() - t);
      else errors++;
    } catch {
      errors++;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
  loop.disable();
  process.stdout.write(`${JSON.stringify({ latenciesMs, errors, loopDelayP99Ms: loop.percentile(99) / 1e6 })}\n`);
  process.exit(0);
})();
