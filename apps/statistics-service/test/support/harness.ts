import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { Client, Pool } from 'pg';
import { createClient } from 'redis';
import { createTestDatabase, dropRedisKeys, endpointsFromEnv, eventually, repoRoot, uniqueName, type TestDatabase } from '@onestop/testing';
import { migrate } from '../../src/statistics.runtime';
import { loadStatisticsConfig, type StatisticsConfig } from '../../src/config/statistics.config';
import {
  PeriodGranularity,
  RollupLevel,
  communeOneStopCode,
  counterKey,
  expandContributions,
  getUnitDirectory,
  reduceEvents,
  reduceEventsToLeaves,
  type IndicatorEvent,
} from '@onestop/domain';
import { safeParsePublicEvent } from '@onestop/contracts';
import { type GeneratedEvent } from './event-generator';

export type CounterMap = Map<string, number>;

export function testKafkaClient(): Kafka {
  return new Kafka({ clientId: uniqueName('stats-test'), brokers: endpointsFromEnv().kafkaBrokers, logLevel: logLevel.NOTHING });
}

/** Config for a service instance isolated on its own topic, group, database and Redis prefix. */
export function isolatedConfig(o: { topic: string; databaseUrl: string; prefix: string; groupId?: string; redisUrl?: string }): StatisticsConfig {
  const e = endpointsFromEnv();
  return loadStatisticsConfig({
    KAFKA_BROKERS: e.kafkaBrokers.join(','),
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: o.redisUrl ?? e.redisUrl,
    HTTP_PORT: '0',
    STATS_TOPIC: o.topic,
    STATS_GROUP_ID: o.groupId ?? `${o.topic}.statistics`,
    STATS_REDIS_PREFIX: o.prefix,
  });
}

export function envOf(c: StatisticsConfig, extra: Record<string, string> = {}): Record<string, string> {
  return {
    KAFKA_BROKERS: c.kafka.brokers.join(','),
    DATABASE_URL: c.database.url,
    REDIS_URL: c.redis.url,
    HTTP_PORT: '0',
    STATS_TOPIC: c.topic,
    STATS_GROUP_ID: c.groupId,
    STATS_REDIS_PREFIX: c.redisPrefix,
    ...extra,
  };
}

/** Produces events keyed by dossier id; `partitionOf` overrides the partitioner; `copies` repeats events. */
export async function produce(
  kafka: Kafka,
  topic: string,
  events: (GeneratedEvent | { raw: string | Buffer; key: string })[],
  partitionOf?: (e: GeneratedEvent, i: number) => number,
): Promise<void> {
  const p = kafka.producer({ allowAutoTopicCreation: false });
  await p.connect();
  try {
    for (let i = 0; i < events.length; i += 500) {
      const messages: Message[] = events.slice(i, i + 500).map((e, j) =>
        'raw' in e
          ? { key: e.key, value: e.raw }
          : { key: e.key, value: JSON.stringify(e), ...(partitionOf ? { partition: partitionOf(e, i + j) } : {}) },
      );
      await p.send({ topic, acks: -1, messages });
    }
  } finally {
    await p.disconnect();
  }
}

/** Every message of a topic from offset 0 up to the high watermarks at call time. */
export async function readAll(kafka: Kafka, topic: string): Promise<{ value: Buffer | null; headers: Record<string, string> }[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const want = new Map(ends.map((p) => [p.partition, BigInt(p.high)]));
  const total = [...want.values()].reduce((s, v) => s + v, 0n);
  const out: { value: Buffer | null; headers: Record<string, string> }[] = [];
  if (total === 0n) return out;
  const c = kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 50 });
  await c.connect();
  await c.subscribe({ topic, fromBeginning: true });
  const done = new Set<number>([...want].filter(([, h]) => h === 0n).map(([p]) => p));
  await c.run({
    eachMessage: async ({ partition, message }) => {
      if (BigInt(message.offset) < (want.get(partition) ?? 0n)) {
        out.push({ value: message.value, headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])) });
      }
      if (BigInt(message.offset) + 1n >= (want.get(partition) ?? 0n)) done.add(partition);
    },
  });
  await eventually(() => done.size === want.size, `reading ${topic} to its end`, { timeoutMs: 60_000 });
  await c.disconnect();
  return out;
}

/**
 * The oracle: recount from the log with the SHARED reducer of @onestop/domain (`reduceEventsToLeaves`, checked
 * against `reduceEvents`), rolled up with the domain unit directory, independently of the service's code.
 * Stored cells (ADR 0400): days and months for the whole unit `*`, months for `P:<procedure>` and `S:<sector>`
 * (quarters and years are summed from months at read time; compare those through `sumOfMonths`).
 */
export async function recount(kafka: Kafka, topic: string): Promise<{ counters: CounterMap; logical: CounterMap; valid: number; invalid: number }> {
  const events: IndicatorEvent[] = [];
  let invalid = 0;
  for (const m of await readAll(kafka, topic)) {
    let raw: unknown;
    try {
      raw = JSON.parse(m.value?.toString('utf8') ?? '');
    } catch {
      invalid++;
      continue;
    }
    const r = safeParsePublicEvent(raw);
    if (r.ok) events.push(r.event as IndicatorEvent);
    else invalid++;
  }
  return { ...recountEvents(events), invalid };
}

/** The oracle of `recount` over events already parsed (any order, duplicates allowed). */
/**
 * `logical`: every roll-up node's cells, communes included (what the API answers for a unit id). `counters`: the
 * STORED form (ADR 0403): without commune cells, after checking that each commune's cells equal those of its
 * one-stop unit (`communeOneStopCode(province, commune)`), which is why the service does not store them.
 */
export function recountEvents(events: IndicatorEvent[]): { counters: CounterMap; logical: CounterMap; valid: number } {
  const leaves = reduceEventsToLeaves(events);
  // the two domain entry points agree on the receiving units' own cells
  const table = reduceEvents(events);
  const own = new Map<string, number>();
  for (const c of expandContributions(leaves)) own.set(counterKey(c), (own.get(counterKey(c)) ?? 0) + c.value);
  for (const [k, v] of own) if (v === 0) own.delete(k);
  const mismatch = diff(own, new Map(Object.entries(table)));
  if (mismatch.length > 0) throw new Error(`reduceEvents and reduceEventsToLeaves disagree: ${mismatch.join('; ')}`);

  const directory = getUnitDirectory();
  const day = [PeriodGranularity.Day, PeriodGranularity.Month];
  const month = [PeriodGranularity.Month];
  const counters: CounterMap = new Map();
  const communeUnit = new Map<string, string>(); // commune code → its one-stop unit code
  for (const l of leaves) {
    // roll each leaf up its unit's chain as in force on the leaf's day
    const nodes = directory.ancestorsAt(l.unitId, l.day);
    const chain = nodes.map((n) => n.code);
    const province = nodes.find((n) => n.level === RollupLevel.Province);
    for (const n of nodes) if (n.level === RollupLevel.Commune && province) communeUnit.set(n.code, communeOneStopCode(province.code, n.code));
    const stored = [
      ...expandContributions([l], { dimensions: [], granularities: day }),
      ...expandContributions([l], { granularities: month }).filter((c) => c.dimension !== '*'),
    ];
    for (const c of stored) {
      for (const u of chain) {
        const k = counterKey({ ...c, unitId: u });
        counters.set(k, (counters.get(k) ?? 0) + c.value);
      }
    }
  }
  for (const [k, v] of counters) if (v === 0) counters.delete(k);
  const logical = new Map(counters);
  for (const k of [...counters.keys()]) {
    const unit = k.slice(0, k.indexOf('|'));
    const oneStop = communeUnit.get(unit);
    if (oneStop === undefined) continue;
    const twin = oneStop + k.slice(unit.length);
    if (counters.get(twin) !== counters.get(k)) throw new Error(`commune cell ${k} = ${counters.get(k)} differs from its one-stop unit's ${twin} = ${counters.get(twin)}`);
    counters.delete(k);
  }
  return { counters, logical, valid: new Set(events.map((e) => e.id)).size };
}

/** A quarter's or a year's counter from the recount's months (`unit|Y2025|*|received`). */
export function sumOfMonths(counters: CounterMap, key: string): number {
  const [unit, period, dim, metric] = key.split('|') as [string, string, string, string];
  const q = /^Q(\d{4})-([1-4])$/.exec(period);
  const y = /^Y(\d{4})$/.exec(period);
  const months = q
    ? [0, 1, 2].map((i) => `M${q[1]}-${String((Number(q[2]) - 1) * 3 + 1 + i).padStart(2, '0')}`)
    : y
      ? Array.from({ length: 12 }, (_, i) => `M${y[1]}-${String(i + 1).padStart(2, '0')}`)
      : [period];
  return months.reduce((s, m) => s + (counters.get(`${unit}|${m}|${dim}|${metric}`) ?? 0), 0);
}

export async function pgCounters(databaseUrl: string): Promise<CounterMap> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ unit_id: string; period_key: string; dimension: string; metric: string; value: string }>(
      `SELECT unit_id, period_key, dimension, metric, value FROM statistics.unit_counter WHERE value <> 0`,
    );
    return new Map(rows.map((r) => [`${r.unit_id}|${r.period_key}|${r.dimension}|${r.metric}`, Number(r.value)]));
  } finally {
    await c.end();
  }
}

export async function pgScalar(databaseUrl: string, sql: string, params: unknown[] = []): Promise<number> {
  const c = new Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query(sql, params);
    return Number(Object.values(rows[0] ?? { n: 0 })[0]);
  } finally {
    await c.end();
  }
}

export async function redisCounters(redisUrl: string, prefix: string): Promise<{ counters: CounterMap; ready: boolean }> {
  const r = createClient({ url: redisUrl });
  await r.connect();
  try {
    const counters: CounterMap = new Map();
    for await (const keys of r.scanIterator({ MATCH: `${prefix}c:*`, COUNT: 1000 })) {
      for (const key of keys) {
        const h = await r.hGetAll(key);
        const [unit, period, dim] = key.slice(prefix.length + 2).split(':').reduce<string[]>((acc, part, i) => {
          // unit:period:dimension where dimension itself may contain one ':'
          if (i < 2) acc.push(part);
          else acc[2] = acc[2] === undefined ? part : `${acc[2]}:${part}`;
          return acc;
        }, []);
        for (const [f, v] of Object.entries(h)) {
          if (!f.endsWith('#v') && Number(v) !== 0) counters.set(`${unit}|${period}|${dim}|${f}`, Number(v));
        }
      }
    }
    return { counters, ready: (await r.exists(`${prefix}ready`)) === 1 };
  } finally {
    await r.close();
  }
}

/** Removes a suite's keys from the shared Redis (moved to @onestop/testing). */
export { dropRedisKeys };

/** A suite's teardown: deletes its topic and the topic's .dlq where they exist, and its Redis keys. */
export async function dropTopicAndKeys(kafka: Kafka, topic: string, redisUrl: string, prefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const gone = [topic, `${topic}.dlq`].filter((t) => existing.has(t));
  if (gone.length > 0) await admin.deleteTopics({ topics: gone, timeout: 10_000 }).catch(() => undefined);
  await admin.disconnect();
  await dropRedisKeys(redisUrl, prefix);
}

export function diff(a: CounterMap, b: CounterMap): string[] {
  const out: string[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) if ((a.get(k) ?? 0) !== (b.get(k) ?? 0)) out.push(`${k}: ${a.get(k) ?? 0} != ${b.get(k) ?? 0}`);
  return out.sort().slice(0, 20);
}

/** Sum of stored next offsets = messages consumed. */
export async function storedOffsetTotal(databaseUrl: string, topic: string): Promise<number> {
  return pgScalar(databaseUrl, `SELECT coalesce(sum(next_offset),0) FROM statistics.consumer_offset WHERE topic = $1`, [topic]);
}

export async function topicEnd(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((s, p) => s + Number(p.high), 0);
  } finally {
    await admin.disconnect();
  }
}

export interface Child {
  proc: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs the real service entry point (main.ts, or a CLI) in a child `node` via the swc register hook. Every output
 * line is kept in `lines` and handed to `onLine` (whole lines: stdout and stderr are read line by line).
 */
export function spawnService(
  env: Record<string, string>,
  entry = 'apps/statistics-service/src/main.ts',
  args: string[] = [],
  o: { nodeArgs?: string[]; onLine?: (line: string) => void } = {},
): Child {
  const root = repoRoot();
  const proc = spawn(process.execPath, [...(o.nodeArgs ?? []), '-r', path.join(root, 'apps/statistics-service/test/support/swc-register.cjs'), path.join(root, entry), ...args], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [proc.stdout, proc.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => {
      if (line.length === 0) return;
      lines.push(line);
      o.onLine?.(line);
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  return { proc, lines, exited };
}

export async function stopChild(c: Child): Promise<void> {
  if (c.proc.exitCode === null && c.proc.signalCode === null && c.proc.pid) {
    c.proc.kill('SIGTERM');
    const t = setTimeout(() => c.proc.kill('SIGKILL'), 10_000);
    await c.exited;
    clearTimeout(t);
  }
}

/** A fresh migrated database and a small pool for the suite (created in beforeAll, dropped in afterAll). */
export function migratedDatabase(name: string): { db: () => TestDatabase; pool: () => Pool } {
  let db: TestDatabase | undefined;
  let pool: Pool | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(name);
    await migrate(db.url);
    pool = new Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });
  return { db: () => db!, pool: () => pool! };
}
