import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { createClient } from 'redis';
import { loadStatisticsConfig } from '../../apps/statistics-service/src/config/statistics.config';
import { createStatisticsApp } from '../../apps/statistics-service/src/bootstrap';
import { JsonLogger } from '@onestop/observability';
import { generateDossiers, interleave, oneStopUnits, type GeneratedEvent } from '../../apps/statistics-service/test/support/event-generator';
import { spawnService, stopChild } from '../../apps/statistics-service/test/support/harness';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cpuSeconds, cpuSecondsMatching, pgCpuSeconds } = require('../support/proc-cpu.cjs') as {
  cpuSeconds(pid: number): number;
  cpuSecondsMatching(re: RegExp): number;
  pgCpuSeconds(db: string): number;
};

/** CPU seconds used so far by each part of the stack on this machine (/proc; NaN elsewhere). */
function stackCpu(dbName: string, servicePid: number | undefined): Record<string, number> {
  const self = process.cpuUsage();
  return {
    service: servicePid === undefined ? NaN : cpuSeconds(servicePid),
    'postgres backends': pgCpuSeconds(dbName),
    'postgres server processes': cpuSecondsMatching(/^postgres: [^ ]+: (checkpointer|background writer|walwriter|autovacuum|logical|archiver)/),
    'kafka broker': cpuSecondsMatching(/java .*kafka/i),
    redis: cpuSecondsMatching(/redis-server/),
    bench: (self.user + self.system) / 1e6,
  };
}

/** Cores each part used between two `stackCpu` snapshots `seconds` apart, for a log line. */
function coresUsed(a: Record<string, number>, b: Record<string, number>, seconds: number): string {
  const parts = Object.keys(b).map((k) => [k, ((b[k]! - (a[k] ?? 0)) / seconds)] as const);
  const total = parts.reduce((t, [, c]) => (Number.isFinite(c) ? t + c : t), 0);
  return `${parts.map(([k, c]) => `${k} ${c.toFixed(2)}`).join(', ')}; total ${total.toFixed(2)} cores`;
}

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const EVENTS = arg('events', 1_000_000);
const RATE = arg('rate', 2000);
const SECONDS = arg('seconds', 20);
// Default: the service runs as its own process (apps/statistics-service/src/main.ts), as deployed; the bench's
// producer and pollers are its clients. `--in-process` hosts it in the bench's process (the method before ADR 0405).
const IN_PROCESS = process.argv.includes('--in-process');
const POLL_MS = arg('poll-ms', 10);
// The province-query client runs as its own process by default (ADR 0406), like a dashboard; `--query-client inline`
// runs it in the bench's process, sharing its event loop with the producer and the freshness poller (the method before).
const QUERY_INLINE = process.argv.includes('--query-client') && process.argv[process.argv.indexOf('--query-client') + 1] === 'inline';
const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const adminUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};
const log = (m: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`);

/** Postgres's write profile of the run's database over a phase: WAL volume (cluster-wide), checkpoints, and per
 *  table the inserted / updated (of which HOT) / deleted rows. Diagnostics for the freshness tail (ADR 0408). */
type PgWriteSnapshot = { wal: number; fpi: number; checkpoints: number; tables: Map<string, number[]> };
async function pgWriteSnapshot(db: Client): Promise<PgWriteSnapshot> {
  const w = (await db.query(`SELECT wal_bytes::float8 AS b, wal_fpi::float8 AS f FROM pg_stat_wal`)).rows[0] as { b: number; f: number };
  const c = (await db.query(`SELECT (checkpoints_timed + checkpoints_req)::int AS n FROM pg_stat_bgwriter`)).rows[0] as { n: number };
  const t = await db.query<{ relname: string; ins: string; upd: string; hot: string; del: string }>(
    `SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_hot_upd AS hot, n_tup_del AS del FROM pg_stat_user_tables WHERE schemaname = 'statistics'`,
  );
  return { wal: w.b, fpi: w.f, checkpoints: c.n, tables: new Map(t.rows.map((r) => [r.relname, [r.ins, r.upd, r.hot, r.del].map(Number)])) };
}
function pgWriteReport(a: PgWriteSnapshot, b: PgWriteSnapshot, events: number): string {
  const rows = [...b.tables].map(([name, v]) => {
    const d = v.map((x, i) => x - (a.tables.get(name)?.[i] ?? 0));
    return d.some((x) => x > 0) ? `${name} ins ${d[0]} upd ${d[1]} (HOT ${d[1]! > 0 ? Math.round((d[2]! / d[1]!) * 100) : 0}%) del ${d[3]}` : '';
  });
  const mb = (b.wal - a.wal) / 1_048_576;
  return `WAL ${mb.toFixed(0)} MB (${(((b.wal - a.wal) / Math.max(1, events)) / 1024).toFixed(1)} KB/event, ${b.fpi - a.fpi} full-page images), ${b.checkpoints - a.checkpoints} checkpoints; ${rows.filter(Boolean).join('; ')}`;
}

interface RunningService {
  url: string;
  /** the service's process id (undefined: hosted in the bench's process) */
  pid?: number;
  close(): Promise<void>;
  signal?(name: NodeJS.Signals): void;
}

async function startInProcess(env: NodeJS.ProcessEnv): Promise<RunningService> {
  const app = await createStatisticsApp(loadStatisticsConfig(env), new JsonLogger('statistics-service', 'warn'));
  await app.listen(0, '127.0.0.1');
  return { url: await app.getUrl(), close: () => app.close() };
}

/** The real entry point in a child process (the test harness's spawnService); forwards its warnings. */
async function startServiceProcess(env: NodeJS.ProcessEnv): Promise<RunningService> {
  const nodeArgs = (process.env['BENCH_SERVICE_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
  let listening: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => (listening = resolve));
  const child = spawnService(Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)), undefined, [], {
    nodeArgs,
    onLine: (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return void console.log(line);
      }
      if (entry['msg'] === 'listening') listening(String(entry['url']));
      else if (entry['level'] === 'warn' || entry['level'] === 'error' || entry['level'] === 'fatal') console.log(line);
    },
  });
  // never leave the service behind, whatever ends the bench (an error exits through process.exit)
  const orphanGuard = (): void => void child.proc.kill('SIGKILL');
  process.once('exit', orphanGuard);
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => process.exit(128 + (sig === 'SIGTERM' ? 15 : 2)));
  const early = child.exited.then(({ code }) => Promise.reject(new Error(`statistics-service exited with ${code} before listening`)));
  return {
    url: await Promise.race([url, early]),
    pid: child.proc.pid,
    signal: (name) => nodeArgs.length > 0 && child.proc.kill(name),
    close: async () => {
      await stopChild(child);
      process.off('exit', orphanGuard);
    },
  };
}

async function main(): Promise<void> {
  const id = `b${Date.now().toString(36)}`;
  const topic = `bench.stats.${id}`;
  const kafka = new Kafka({ clientId: id, brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 6 }, { topic: `${topic}.dlq`, numPartitions: 1 }] });
  const dbName = `bench_stats_${id}`;
  const pg = new Client({ connectionString: adminUrl });
  await pg.connect();
  await pg.query(`CREATE DATABASE "${dbName}"`);
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const dbUrl = u.toString();

  // 1. backlog
  const units = oneStopUnits(['01', '79', '38', '48', '92'], 20);
  log(`generating ~${EVENTS} events over ${units.length} one-stop units`);
  const evs: GeneratedEvent[] = [];
  for (let seed = 1; evs.length < EVENTS; seed++) evs.push(...interleave(generateDossiers({ dossiers: 20_000, units, seed, days: 60, start: '2025-10-01T08:00:00+07:00', seqPrefix: String(seed) }), seed));
  evs.length = EVENTS;
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let t0 = Date.now();
  for (let i = 0; i < evs.length; i += 2000) {
    const chunk = evs.slice(i, i + 2000);
    // one send at a time: parallel sends could reorder a dossier's events
    await producer.send({ topic, acks: -1, messages: chunk.map((e) => ({ key: e.key, value: JSON.stringify(e) })) });
    if (i % 100_000 === 0) log(`  produced ${i}/${evs.length}`);
  }
  log(`produced ${evs.length} events in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // 2. raw kafkajs ceiling, in its own process (ADR 0409 bench note): a consumer in this process would share its
  // heap with the generated backlog and pay for collecting it
  const cpuBeforeRaw = stackCpu(dbName, undefined);
  const rawRun = await new Promise<{ rate: number; seconds: number; cpuSeconds: number }>((resolve, reject) => {
    const child = spawn(process.execPath, [require.resolve('./raw-consumer.cjs'), brokers.join(','), topic, `${id}-raw`, String(evs.length)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`raw consumer exited with ${code}`))));
  });
  const rawRate = rawRun.rate;
  const brokerUs = ((stackCpu(dbName, undefined)['kafka broker']! - cpuBeforeRaw['kafka broker']!) / evs.length) * 1e6;
  log(`  CPU per message of raw consumption: consumer process ${((rawRun.cpuSeconds / evs.length) * 1e6).toFixed(1)} µs (${(rawRun.cpuSeconds / rawRun.seconds).toFixed(2)} cores), broker ${brokerUs.toFixed(1)} µs`);
  log(`raw kafkajs eachBatch consumption: ${Math.round(rawRate)} msg/s`);

  // 3. catch-up through the service (its own process by default: consumer thread + HTTP)
  const serviceEnv = { ...process.env, KAFKA_BROKERS: brokers.join(','), DATABASE_URL: dbUrl, REDIS_URL: redisUrl, HTTP_HOST: '127.0.0.1', HTTP_PORT: '0', STATS_TOPIC: topic, STATS_GROUP_ID: `${id}-stats`, STATS_REDIS_PREFIX: `${id}:` };
  const pgBeforeCatchUp = await pgWriteSnapshot(pg);
  const cpuBeforeCatchUp = stackCpu(dbName, undefined);
  t0 = Date.now();
  const service = IN_PROCESS ? await startInProcess(serviceEnv) : await startServiceProcess(serviceEnv);
  const base = service.url;
  const db = new Client({ connectionString: dbUrl });
  await db.connect();
  const stored = async () => Number((await db.query(`SELECT coalesce(sum(next_offset),0) AS n FROM statistics.consumer_offset`)).rows[0].n);
  for (;;) {
    const done = await stored();
    if (done >= evs.length) break;
    log(`  catch-up ${done}/${evs.length} (${Math.round(done / ((Date.now() - t0) / 1000))}/s)`);
    await new Promise((r) => setTimeout(r, 2000));
  }
  const catchUp = evs.length / ((Date.now() - t0) / 1000);
  log(`catch-up: ${Math.round(catchUp)} events/s = ${((catchUp / rawRate) * 100).toFixed(0)}% of raw (incl. boot)`);
  log(`  postgres during catch-up: ${pgWriteReport(pgBeforeCatchUp, await pgWriteSnapshot(db), evs.length)}`);
  // a new service process starts from 0 CPU seconds; in-process, its CPU is the bench's
  log(`  CPU during catch-up (cores): ${coresUsed({ ...cpuBeforeCatchUp, service: 0 }, stackCpu(dbName, service.pid), evs.length / catchUp)}`);

  // exactness of the national totals against the shared reducer
  const { reduceEventsToLeaves } = await import('@onestop/domain');
  const truth = new Map<string, number>();
  for (const c of reduceEventsToLeaves(evs as never)) truth.set(c.metric, (truth.get(c.metric) ?? 0) + c.value);
  const vn = await db.query<{ metric: string; v: string }>(`SELECT metric, sum(value) AS v FROM statistics.unit_counter WHERE unit_id = 'VN' AND dimension = '*' AND period_key LIKE 'M%' GROUP BY metric`);
  const mismatches = vn.rows.filter((r) => Number(r.v) !== (truth.get(r.metric) ?? 0)).length + [...truth.keys()].filter((m) => !vn.rows.some((r) => r.metric === m)).length;
  log(`exact national totals vs reducer: ${mismatches === 0 ? 'EXACT' : `${mismatches} MISMATCHES`}`);
  // The backlog lives in this process, which also hosts the HTTP server: drop it before the latency phase so
  // major GCs of a 1M-event heap do not show up as query latency.
  const events = evs.length;
  evs.length = 0;
  global.gc?.();

  // 4. freshness at a steady rate + query latency during ingest
  const live = interleave(generateDossiers({ dossiers: RATE * SECONDS, units, seed: 999, start: '2026-11-01T08:00:00+07:00', days: 1, seqPrefix: '999' }), 5)
    .filter((e) => e.type === 'DossierReceived')
    .map((e) => ({ ...e, id: randomUUID() }));
  const getCount = async () => {
    const t = performance.now();
    const r = (await (await fetch(`${base}/v1/units/VN/indicators?period=Y2026`)).json()) as { data: { counts: Record<string, number> } };
    return { received: r.data.counts['received'] ?? 0, ms: performance.now() - t };
  };
  const acks: { at: number; expected: number }[] = [];
  const visible: number[] = [];
  const queryMs: number[] = [];
  let stop = false;
  const poller = (async () => {
    let idx = 0;
    while (!stop || idx < acks.length) {
      const { received } = await getCount();
      const now = performance.now();
      while (idx < acks.length && acks[idx]!.expected <= received) visible.push(now - acks[idx++]!.at);
      // ~10 ms between polls: freshness is resolved to ~10 ms, and the detector is not itself most of the load
      await new Promise((r) => setTimeout(r, POLL_MS));
      if (stop && performance.now() - (acks[acks.length - 1]?.at ?? 0) > 10_000) break;
    }
  })();
  const provinceUrl = `${base}/v1/units/01/indicators?period=M2026-11`;
  let queryClientLoopP99 = NaN;
  const province = QUERY_INLINE
    ? (async () => {
        while (!stop) {
          const t = performance.now();
          await fetch(provinceUrl).then((r) => r.arrayBuffer());
          queryMs.push(performance.now() - t);
          await new Promise((r) => setTimeout(r, 5));
        }
      })()
    : (async () => {
        const child = spawn(process.execPath, [require.resolve('./query-client.cjs'), provinceUrl, '5'], { stdio: ['pipe', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        while (!stop) await new Promise((r) => setTimeout(r, 20));
        child.stdin.end('stop\n');
        await exited;
        const r = JSON.parse(out) as { latenciesMs: number[]; errors: number; loopDelayP99Ms: number };
        queryMs.push(...r.latenciesMs);
        queryClientLoopP99 = r.loopDelayP99Ms;
        if (r.errors > 0) log(`province query client: ${r.errors} failed requests`);
      })();
  const benchLoop = monitorEventLoopDelay({ resolution: 1 });
  benchLoop.enable();
  // From the service's /metrics over the phase: its event-loop delay p99 (prom-client resets that histogram on
  // every scrape) and the service-side time of the indicator answers (the difference of two scrapes).
  const scrape = async (): Promise<{ loopP99: number; answers: Map<number, number> }> => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const loopP99 = Number(/^nodejs_eventloop_lag_p99_seconds(?:\{[^}]*\})? ([\d.e+-]+)$/m.exec(text)?.[1] ?? NaN) * 1000;
    const answers = new Map<number, number>();
    const re = /^http_server_request_duration_seconds_bucket\{le="([^"]+)",[^}]*route="\/v1\/units\/:unitId\/indicators"[^}]*status="200"[^}]*\} (\d+)$/gm;
    for (const m of text.matchAll(re)) {
      const le = m[1] === '+Inf' ? Infinity : Number(m[1]) * 1000;
      answers.set(le, (answers.get(le) ?? 0) + Number(m[2]));
    }
    return { loopP99, answers };
  };
  /** The smallest bucket bound (ms) holding ≥ 99 % of the answers between two scrapes. */
  const serviceP99 = (a: Map<number, number>, b: Map<number, number>): number => {
    const bounds = [...b.keys()].sort((x, y) => x - y);
    const total = (b.get(Infinity) ?? 0) - (a.get(Infinity) ?? 0);
    return bounds.find((le) => (b.get(le) ?? 0) - (a.get(le) ?? 0) >= 0.99 * total) ?? NaN;
  };
  const before = await scrape();
  const pgBeforePhase = await pgWriteSnapshot(db);
  const cpuBeforePhase = stackCpu(dbName, service.pid);
  const phaseStart = performance.now();
  service.signal?.('SIGWINCH'); // diagnostics only (bench/support/cpu-profile-on-signal.cjs): profile the phase
  const per = Math.max(1, Math.round(RATE / 100)); // one send every 10 ms
  let sent = 0;
  t0 = performance.now();
  log(`freshness: producing ${live.length} DossierReceived at ${RATE}/s`);
  while (sent < live.length) {
    const chunk = live.slice(sent, sent + per);
    await producer.send({ topic, acks: -1, messages: chunk.map((e) => ({ key: e.key, value: JSON.stringify(e) })) });
    sent += chunk.length;
    acks.push({ at: performance.now(), expected: sent });
    const wait = t0 + (sent / RATE) * 1000 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  stop = true;
  const after = await scrape();
  const pgAfterPhase = await pgWriteSnapshot(db);
  const cpuPhase = coresUsed(cpuBeforePhase, stackCpu(dbName, service.pid), (performance.now() - phaseStart) / 1000);
  const loopDelayP99 = after.loopP99;
  const serviceSideP99 = serviceP99(before.answers, after.answers);
  service.signal?.('SIGWINCH');
  await Promise.all([poller, province]);
  log(`postgres during the phase: ${pgWriteReport(pgBeforePhase, pgAfterPhase, live.length)}`);
  log(`CPU during the phase (cores): ${cpuPhase}`);
  log(`freshness produce-ack → visible via API (${visible.length} samples): p50 ${pct(visible, 50).toFixed(0)} ms, p95 ${pct(visible, 95).toFixed(0)} ms, p99 ${pct(visible, 99).toFixed(0)} ms`);
  benchLoop.disable();
  const benchLoopP99 = benchLoop.percentile(99) / 1e6;
  log(`province indicators query during ingest (${queryMs.length} requests, client ${QUERY_INLINE ? 'inline in the bench process' : 'in its own process'}): p50 ${pct(queryMs, 50).toFixed(1)} ms, p99 ${pct(queryMs, 99).toFixed(1)} ms`);
  log(`event-loop delay p99 of the bench process (producer, poller): ${benchLoopP99.toFixed(1)} ms; of the query client process: ${QUERY_INLINE ? '–' : `${queryClientLoopP99.toFixed(1)} ms`}`);
  log(`service event-loop delay during the phase: p99 ${loopDelayP99.toFixed(1)} ms; indicator answers timed by the service: p99 ≤ ${serviceSideP99} ms`);
  console.log(JSON.stringify({ mode: IN_PROCESS ? 'in-process' : 'service process', events, rawRate: Math.round(rawRate), catchUp: Math.round(catchUp), pctOfRaw: +(catchUp / rawRate * 100).toFixed(1), exact: mismatches === 0, freshness: { p50: pct(visible, 50), p95: pct(visible, 95), p99: pct(visible, 99) }, query: { client: QUERY_INLINE ? 'inline' : 'process', p50: pct(queryMs, 50), p99: pct(queryMs, 99), serviceSideP99Bound: serviceSideP99 }, loopDelayP99, benchLoopP99, queryClientLoopP99 }));

  await producer.disconnect();
  await service.close();
  // the run's Redis keys (counters, marker, meta) go with its database and topics
  const redis = createClient({ url: redisUrl });
  await redis.connect();
  for await (const keys of redis.scanIterator({ MATCH: `${id}:*`, COUNT: 5000 })) if (keys.length > 0) await redis.unlink(keys);
  await redis.close();
  await db.end();
  await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] }).catch(() => undefined);
  await admin.disconnect();
  await pg.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await pg.end();
}

main().then(() => process.exit(0), (err: unknown) => { console.error(err); process.exit(1); });
