/**
 * Ingest cost without Kafka: applies a generated backlog straight through `BatchApplier.applyMany` in
 * transactions of `--batch` events (split over 6 "partitions"), printing the per-stage timings.
 *   node -r ./apps/statistics-service/test/support/swc-register.cjs bench/statistics/apply-direct.ts --events 100000 --batch 20000
 * `KEEP_DB=true` keeps the database afterwards (query experiments on a realistic state).
 * `--pipeline 1` prepares each transaction while the previous one writes and commits (ADR 0404), as the consumer does.
 */
import { Client, Pool } from 'pg';
import { migrate } from '../../apps/statistics-service/src/statistics.runtime';
import { BatchApplier, type AppliedBatch, type PartitionBatch, type PreparedGroup } from '../../apps/statistics-service/src/ingest/batch-applier';
import { createIndicatorEngine } from '../../apps/statistics-service/src/indicators/engine.factory';
import { type PublicEvent } from '../../apps/statistics-service/src/indicators/indicator-engine';
import { generateDossiers, interleave, oneStopUnits, type GeneratedEvent } from '../../apps/statistics-service/test/support/event-generator';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const EVENTS = arg('events', 100_000);
const BATCH = arg('batch', 20_000);
const PIPELINE = arg('pipeline', 0) === 1;
const adminUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function main(): Promise<void> {
  const dbName = `bench_stats_direct_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  try {
    await migrate(u.toString());
    const pool = new Pool({ connectionString: u.toString(), max: 4 });
    pool.on('error', () => undefined); // idle clients terminated by the final DROP DATABASE … WITH (FORCE)
    if (process.env['PRE_SQL']) await pool.query(process.env['PRE_SQL']); // experiments (e.g. drop an index)
    const units = oneStopUnits(['01', '79', '38', '48', '92'], 20);
    const evs: GeneratedEvent[] = [];
    for (let seed = 1; evs.length < EVENTS; seed++) evs.push(...interleave(generateDossiers({ dossiers: 20_000, units, seed, days: 60, start: '2025-10-01T08:00:00+07:00', seqPrefix: String(seed) }), seed));
    evs.length = EVENTS;
    // same partitioning idea as Kafka: by key
    const parts: PublicEvent[][] = Array.from({ length: 6 }, () => []);
    const h = (s: string) => { let x = 0; for (let i = 0; i < s.length; i++) x = (x * 31 + s.charCodeAt(i)) | 0; return Math.abs(x) % 6; };
    for (const e of evs) parts[h(e.key)]!.push(e as unknown as PublicEvent);
    const applier = new BatchApplier(pool, createIndicatorEngine(), 'direct');
    const pos = parts.map(() => 0);
    const per = Math.ceil(BATCH / 6);
    const t0 = Date.now();
    let done = 0;
    let rows = 0;
    let prev: PreparedGroup | undefined;
    const report = (r: AppliedBatch | undefined): void => {
      if (!r) return;
      rows += r.rows.length;
      console.log(`${done}/${EVENTS} ${Math.round(done / ((Date.now() - t0) / 1000))} ev/s rows ${r.rows.length} ${JSON.stringify(applier.timings)}`);
    };
    while (done < EVENTS) {
      const batches: PartitionBatch[] = [];
      for (let p = 0; p < 6; p++) {
        const slice = parts[p]!.slice(pos[p], pos[p]! + per);
        if (slice.length === 0) continue;
        pos[p]! += slice.length;
        batches.push({ topic: 't', partition: p, events: slice, nextOffset: String(pos[p]) });
        done += slice.length;
      }
      if (!PIPELINE) {
        report(await applier.applyMany(batches));
        continue;
      }
      // stage B of the previous transaction overlaps stage A of this one
      const finishing = prev ? prev.finish() : Promise.resolve(undefined);
      const next = applier.prepare(batches);
      const [r, p] = await Promise.all([finishing, next]);
      report(r);
      prev = p;
    }
    if (prev) report(await prev.finish());
    console.log(`TOTAL ${EVENTS} events, batch ${BATCH}, pipeline ${PIPELINE}: ${Math.round(EVENTS / ((Date.now() - t0) / 1000))} ev/s, ${(rows / EVENTS).toFixed(2)} counter rows/event`);
    await pool.end();
  } finally {
    if (process.env['KEEP_DB'] === 'true') console.log(`kept database ${dbName} (KEEP_DB=true)`);
    else await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }
}
main().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
