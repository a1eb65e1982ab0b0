#!/usr/bin/env node
// Intake throughput and latency, whole stack on this machine (Postgres, Kafka broker, service, load
// generator), next to the naive baseline (save, then publish to Kafka inside the request), in one run.
//
//   node bench/intake/run.cjs [--duration 20] [--warmup 3] [--concurrency 32] [--units 50] [--only outbox|naive]
//   BENCH_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"   extra node flags for the service processes
//   BENCH_SERVICE_ENV="INTAKE_GROUP_COMMIT=false,..."             extra environment for the intake service
//
// Each target gets a fresh schema (database) and fresh topics; the load generator is a closed loop of
// `concurrency` in-flight POST /dossiers (undici Pool, keep-alive), each with its own Idempotency-Key and an
// officer token of the receiving unit. Prints progress every second and a summary; writes last-result.json.
'use strict';
require('../../tools/ts-register.cjs');
const { spawn } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const { Kafka, logLevel } = require('kafkajs');
const { issueToken } = require('../../libs/http/src/index.ts');
const { DomainCatalogue } = require('../../apps/intake-service/src/catalogue/domain-catalogue.ts');
const { cpuSeconds, pgCpuSeconds } = require('../support/proc-cpu.cjs');

const root = path.resolve(__dirname, '../..');
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const DURATION_S = arg('duration', 20);
const WARMUP_S = arg('warmup', 3);
const CONCURRENCY = arg('concurrency', 32);
const UNITS = arg('units', 50);
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const SERVICE_NODE_ARGS = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
const SERVICE_ENV = Object.fromEntries((process.env.BENCH_SERVICE_ENV ?? '').split(',').filter(Boolean).map((kv) => kv.split('=')));
const PG_ADMIN = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const JWT = { secret: 'bench-secret-0123456789abcdef0123', issuer: 'onestop-pulse' };
const log = (m) => process.stderr.write(m + '\n');

let Pool;
try {
  ({ Pool } = require('undici'));
} catch {
  Pool = undefined;
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitHttp(url, proc, what, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${what} exited early`);
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > end) throw new Error(`${what} did not start`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function dbUrl(name) {
  const u = new URL(PG_ADMIN);
  u.pathname = `/${name}`;
  return u.toString();
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Syscalls and bytes through read/write-like calls (sockets included) of one process, from /proc/<pid>/io (Linux). */
function ioCounters(pid) {
  try {
    const kv = Object.fromEntries(fs.readFileSync(`/proc/${pid}/io`, 'utf8').trim().split('\n').map((l) => l.split(': ')).map(([k, v]) => [k, Number(v)]));
    return { rchar: kv.rchar, wchar: kv.wchar, syscr: kv.syscr, syscw: kv.syscw };
  } catch {
    return undefined;
  }
}

async function load(baseUrl, units, label, pid, db) {
  const tokens = new Map(units.map((u) => [u, issueToken(JWT, { officerId: `bench-${u}`, name: 'Bench', unitId: u, roles: ['officer'] })]));
  const pool = Pool ? new Pool(baseUrl, { connections: CONCURRENCY, pipelining: 1, keepAliveTimeout: 30_000 }) : undefined;
  let seq = 0;
  const bodyFor = (unit) =>
    JSON.stringify({
      channel: 'DIRECT',
      unitCode: unit,
      procedureCode: '1.001193',
      applicant: { type: 'CITIZEN', fullName: `Nguyễn Văn ${seq}`, idNumber: `0010990${String(seq % 100000).padStart(5, '0')}`, phone: '0912345678', address: 'Phường Ba Đình, Hà Nội' },
      components: [{ code: 'TK_KHAI_SINH', copies: 1 }, { code: 'GIAY_CHUNG_SINH', copies: 1, digitised: true }],
    });
  async function one() {
    const unit = units[seq++ % units.length];
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(unit)}`, 'idempotency-key': randomUUID() };
    const t0 = performance.now();
    let status;
    if (pool) {
      const r = await pool.request({ path: '/dossiers', method: 'POST', headers, body: bodyFor(unit) });
      status = r.statusCode;
      await r.body.text();
    } else {
      const r = await fetch(`${baseUrl}/dossiers`, { method: 'POST', headers, body: bodyFor(unit) });
      status = r.status;
      await r.text();
    }
    return { ms: performance.now() - t0, ok: status === 201, status };
  }

  const start = Date.now();
  const measureFrom = start + WARMUP_S * 1000;
  const stopAt = measureFrom + DURATION_S * 1000;
  const lat = [];
  let window = [];
  let errors = 0;
  const statuses = {};
  let cpuAtMeasure = NaN;
  let loadGenCpuAtMeasure;
  let pgCpuAtMeasure = NaN;
  let ioAtMeasure;
  let loadAtMeasure = '';
  setTimeout(() => {
    cpuAtMeasure = cpuSeconds(pid);
    pgCpuAtMeasure = pgCpuSeconds(db);
    loadGenCpuAtMeasure = process.cpuUsage();
    ioAtMeasure = ioCounters(pid);
    loadAtMeasure = os.loadavg()[0].toFixed(1);
  }, WARMUP_S * 1000);
  const timer = setInterval(() => {
    const w = window.sort((a, b) => a - b);
    window = [];
    const phase = Date.now() < measureFrom ? 'warmup' : 'measure';
    log(`[${label}] ${phase} t=${((Date.now() - start) / 1000).toFixed(0)}s  ${w.length} req/s  p50=${percentile(w, 50)?.toFixed(1)}ms p99=${percentile(w, 99)?.toFixed(1)}ms  errors=${errors}`);
  }, 1000);
  async function worker() {
    while (Date.now() < stopAt) {
      try {
        const r = await one();
        window.push(r.ms);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (!r.ok) errors++;
        else if (Date.now() >= measureFrom) lat.push(r.ms);
      } catch {
        errors++;
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const serviceCpuMsPerRequest = ((cpuSeconds(pid) - cpuAtMeasure) * 1000) / Math.max(1, lat.length);
  const pgCpuMsPerRequest = ((pgCpuSeconds(db) - pgCpuAtMeasure) * 1000) / Math.max(1, lat.length);
  const lg = process.cpuUsage(loadGenCpuAtMeasure);
  const loadGenCpuMsPerRequest = (lg.user + lg.system) / 1000 / Math.max(1, lat.length);
  const ioEnd = ioCounters(pid);
  const perReq = (k) => (ioAtMeasure && ioEnd ? (ioEnd[k] - ioAtMeasure[k]) / Math.max(1, lat.length) : NaN);
  const serviceIoPerRequest = { readBytes: perReq('rchar'), writeBytes: perReq('wchar'), readCalls: perReq('syscr'), writeCalls: perReq('syscw') };
  const loadAvg1m = `${loadAtMeasure}→${os.loadavg()[0].toFixed(1)}`;
  clearInterval(timer);
  await pool?.close();
  lat.sort((a, b) => a - b);
  return { serviceCpuMsPerRequest, pgCpuMsPerRequest, loadGenCpuMsPerRequest, serviceIoPerRequest, loadAvg1m, throughput: lat.length / DURATION_S, p50: percentile(lat, 50), p95: percentile(lat, 95), p99: percentile(lat, 99), max: lat[lat.length - 1], ok: lat.length, errors, statuses };
}

async function withTarget(label, startCmd, fn) {
  const name = `bench_intake_${label}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const kafka = new Kafka({ clientId: 'bench', brokers: BROKERS, logLevel: logLevel.NOTHING });
  const ka = kafka.admin();
  await ka.connect();
  const topics = [`bench.${name}.lifecycle`, `bench.${name}.public`];
  await ka.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions: 6, replicationFactor: 1 })) });
  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: dbUrl(name),
    KAFKA_BROKERS: BROKERS.join(','),
    TOPIC_DOSSIER_INTERNAL: topics[0],
    TOPIC_DOSSIER_PUBLIC: topics[1],
    HTTP_PORT: String(port),
    HTTP_HOST: '127.0.0.1',
    JWT_SECRET: JWT.secret,
    JWT_ISSUER: JWT.issuer,
    LOG_LEVEL: 'error',
    DATABASE_POOL_SIZE: String(Math.max(8, Math.min(CONCURRENCY, 24))),
    OUTBOX_RELAY_BATCH_SIZE: '1000',
    OUTBOX_RELAY_POLL_MS: '50',
    KAFKA_ENSURE_TOPICS: 'false',
    ...(label === 'outbox' ? SERVICE_ENV : {}),
  };
  const proc = spawn(process.execPath, [...SERVICE_NODE_ARGS, ...startCmd], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitHttp(`${base}/health/live`, proc, label);
    return await fn(base, dbUrl(name), proc.pid, name);
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
    await ka.deleteTopics({ topics, timeout: 10_000 }).catch(() => undefined);
    await ka.disconnect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

async function main() {
  const units = new DomainCatalogue().unitCodes().filter((c) => /^\d{2}\.\d{5}$/.test(c)).slice(0, UNITS);
  log(`bench: ${os.cpus().length} CPUs, duration ${DURATION_S}s (+${WARMUP_S}s warm-up), concurrency ${CONCURRENCY}, ${units.length} units, undici=${Boolean(Pool)}`);
  const results = {};

  if (ONLY !== 'naive') results.outbox = await withTarget('outbox', ['-r', path.join(root, 'tools/ts-register.cjs'), path.join(root, 'apps/intake-service/src/main.ts')], async (base, url, pid, db) => {
    const pg = new Client({ connectionString: url });
    await pg.connect();
    let maxBacklog = 0;
    const sampler = setInterval(() => {
      pg.query(`SELECT count(*)::int AS n FROM intake.outbox WHERE published_at IS NULL`).then((r) => (maxBacklog = Math.max(maxBacklog, r.rows[0].n)), () => undefined);
    }, 1000);
    const r = await load(base, units, 'outbox', pid, db);
    clearInterval(sampler);
    const t0 = Date.now();
    for (;;) {
      const n = (await pg.query(`SELECT count(*)::int AS n FROM intake.outbox WHERE published_at IS NULL`)).rows[0].n;
      if (n === 0 || Date.now() - t0 > 120_000) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const drainMs = Date.now() - t0;
    const total = (await pg.query(`SELECT count(*)::int AS n, count(published_at)::int AS p FROM intake.outbox`)).rows[0];
    await pg.end();
    return { ...r, maxBacklog, drainAfterLoadMs: drainMs, outboxRows: total.n, published: total.p };
  });

  if (ONLY !== 'outbox') results.naive = await withTarget('naive', [path.join(__dirname, 'naive-server.cjs')], async (base, _url, pid, db) => load(base, units, 'naive', pid, db));

  const row = (k, r) =>
    `| ${k} | ${r.throughput.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${r.errors} | ${r.serviceCpuMsPerRequest.toFixed(2)} | ${r.loadAvg1m} |`;
  const table = [
    '| target | dossiers/s | p50 ms | p95 ms | p99 ms | max ms | errors | service CPU ms/request | load avg (1 min) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...(results.outbox ? [row('intake-service (outbox + relay)', results.outbox)] : []),
    ...(results.naive ? [row('naive (save, then Kafka send in the request)', results.naive)] : []),
  ].join('\n');
  const summary = { at: new Date().toISOString(), cpus: os.cpus().length, durationS: DURATION_S, warmupS: WARMUP_S, concurrency: CONCURRENCY, units: units.length, results };
  if (!ONLY) fs.writeFileSync(path.join(__dirname, 'last-result.json'), JSON.stringify(summary, null, 2) + '\n');
  process.stdout.write(`\n${table}\n`);
  for (const [k, r] of Object.entries(results)) {
    const io = r.serviceIoPerRequest;
    process.stdout.write(`\n${k}: CPU ms/request: Postgres backends ${r.pgCpuMsPerRequest.toFixed(2)}, load generator ${r.loadGenCpuMsPerRequest.toFixed(2)}; service per request: ${io.readCalls.toFixed(2)} reads / ${io.readBytes.toFixed(0)} B, ${io.writeCalls.toFixed(2)} writes / ${io.writeBytes.toFixed(0)} B`);
  }
  process.stdout.write('\n');
  if (results.outbox) {
    const o = results.outbox;
    process.stdout.write(`\noutbox: max backlog ${o.maxBacklog}, drained ${o.drainAfterLoadMs} ms after the load stopped, ${o.published}/${o.outboxRows} published\n`);
  }
}

main().catch((e) => {
  log(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
