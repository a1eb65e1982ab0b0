/**
 * Worker-thread entry of the consumer (ADR 0402): the ingest pipeline runs on its own event loop, so its
 * synchronous work (reducer, roll-up, serializing large statements) never delays an HTTP answer. It opens
 * its own StatisticsRuntime (pool, Redis, Kafka); logs and metric updates go to the main thread as messages.
 */
import '../runtime-aliases';
import { writeSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { type StatisticsConfig } from '../config/statistics.config';
import { StatisticsRuntime } from '../statistics.runtime';
import { type IngestMetrics } from './ingest.metrics';
import { type ConsumerStatus } from './statistics.consumer';

export type WorkerMessage =
  | { kind: 'log'; entry: Record<string, unknown> }
  | { kind: 'metric'; name: keyof IngestMetrics; op: 'inc' | 'observe' | 'set' | 'reset'; value: number; labels?: Record<string, string> }
  | { kind: 'consumer'; status: ConsumerStatus }
  | { kind: 'started' }
  | { kind: 'failed'; error: string }
  | { kind: 'stopped' };

const port = parentPort!;
const post = (m: WorkerMessage): void => port.postMessage(m);

/** Metrics proxy: every update is replayed on the main thread's registry. */
function metricsProxy(): IngestMetrics {
  const series = (name: keyof IngestMetrics) => ({
    inc: (value = 1) => post({ kind: 'metric', name, op: 'inc', value }),
    observe: (value: number) => post({ kind: 'metric', name, op: 'observe', value }),
    set: (a: number | Record<string, string>, b?: number) =>
      typeof a === 'number' ? post({ kind: 'metric', name, op: 'set', value: a }) : post({ kind: 'metric', name, op: 'set', value: b ?? 0, labels: a }),
    reset: () => post({ kind: 'metric', name, op: 'reset', value: 0 }),
  });
  const names: (keyof IngestMetrics)[] = ['events', 'duplicates', 'deadLettered', 'batchSeconds', 'lag', 'lastEventTime', 'connected', 'lastFetchTime', 'lastBatchTime'];
  return Object.fromEntries(names.map((n) => [n, series(n)])) as unknown as IngestMetrics;
}

async function run(): Promise<void> {
  const { config } = workerData as { config: StatisticsConfig };
  const log = (entry: Record<string, unknown>): void => {
    // a fault-injection line is written synchronously: the process is SIGKILLed right after it
    if (String(entry['msg'] ?? '').startsWith('FAULT_POINT')) writeSync(1, `${JSON.stringify({ time: new Date().toISOString(), level: 'info', service: 'statistics-service', ...entry })}\n`);
    else post({ kind: 'log', entry });
  };
  if (config.consumerNice !== 0) {
    // On Linux the nice value is per thread and pid 0 = the calling thread: only this worker yields the CPU to
    // the HTTP thread when both are runnable (ADR 0402); elsewhere it may renice the process, so only on Linux.
    try {
      if (process.platform === 'linux') setPriority(0, config.consumerNice);
    } catch (err) {
      log({ level: 'warn', msg: 'could not lower the consumer thread priority', err: String(err) });
    }
  }
  const runtime = await StatisticsRuntime.open(config, log, { migrate: false });
  await runtime.startConsumer(undefined, metricsProxy(), (status) => post({ kind: 'consumer', status }));
  port.on('message', (m: { kind: string }) => {
    if (m.kind !== 'stop') return;
    void runtime.close().finally(() => post({ kind: 'stopped' }));
  });
  post({ kind: 'started' });
}

run().catch((err: unknown) => post({ kind: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
