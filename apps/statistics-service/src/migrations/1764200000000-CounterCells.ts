import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Counter cells (ADR 0408): `unit_counter` (one row per unit, period, dimension AND metric) becomes
 * `unit_cell` (one row per unit, period, dimension holding every metric as a column, one `version` per row and a
 * `touched` bit per metric ever written). A received dossier changes ~5 metrics of each cell it reaches, so the
 * consumer updates ~5× fewer rows. `unit_counter` stays readable as a view of the same shape: one row per touched
 * metric, with the cell's version (a row version increases whenever any metric of the cell changes, so it is
 * monotonic per metric too, which is all the Redis CAS needs).
 *
 * The metric list is frozen here (a migration must not move with the code); `src/ingest/cell-metrics.ts` holds
 * the same list and a spec checks both against the domain.
 */
export const CELL_METRICS_1764200000000 = [
  'received', 'receivedOnline', 'receivedDirect', 'receivedPostal', 'intakeRejected', 'resolved', 'resolvedEarly',
  'resolvedOnTime', 'resolvedLate', 'withdrawn', 'refused', 'digitised', 'reused', 'fromRepository', 'vneidVerified',
  'eResult', 'eResultRequired', 'feeBearing', 'paidOnline', 'ratingVerySatisfied', 'ratingSatisfied',
  'ratingDissatisfied', 'returned', 'supplementRequestedMoreThanOnce',
];
const col = (m: string) => m.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export class CounterCells1764200000000 implements MigrationInterface {
  name = 'CounterCells1764200000000';

  async up(q: QueryRunner): Promise<void> {
    const unknown = (await q.query(`SELECT DISTINCT metric FROM "statistics"."unit_counter" WHERE metric <> ALL($1::text[])`, [CELL_METRICS_1764200000000])) as { metric: string }[];
    if (unknown.length > 0) throw new Error(`unit_counter holds metrics without a column: ${unknown.map((r) => r.metric).join(', ')}`);
    await q.query(`CREATE TABLE "statistics"."unit_cell" (
      "unit_id" text NOT NULL,
      "period_key" text NOT NULL,
      "dimension" text NOT NULL,
      "version" bigint NOT NULL,
      "touched" integer NOT NULL,
      ${CELL_METRICS_1764200000000.map((m) => `"${col(m)}" bigint NOT NULL`).join(',\n      ')},
      CONSTRAINT "unit_cell_pk" PRIMARY KEY ("unit_id", "period_key", "dimension")) WITH (fillfactor = 50)`);
    await q.query(`INSERT INTO "statistics"."unit_cell"
      SELECT unit_id, period_key, dimension, max(version), bit_or(1 << (array_position($1::text[], metric) - 1)),
             ${CELL_METRICS_1764200000000.map((m) => `coalesce(sum(value) FILTER (WHERE metric = '${m}'), 0)`).join(', ')}
        FROM "statistics"."unit_counter" GROUP BY unit_id, period_key, dimension`, [CELL_METRICS_1764200000000]);
    await q.query(`DROP TABLE "statistics"."unit_counter"`);
    await q.query(`CREATE VIEW "statistics"."unit_counter" AS
      SELECT c.unit_id, c.period_key, c.dimension, m.metric, m.value, c.version
        FROM "statistics"."unit_cell" c
       CROSS JOIN LATERAL (VALUES ${CELL_METRICS_1764200000000.map((m, i) => `('${m}', c.${col(m)}, ${i})`).join(', ')}) AS m(metric, value, bit)
       WHERE c.touched & (1 << m.bit) <> 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "statistics"."unit_counter_old" AS SELECT * FROM "statistics"."unit_counter"`);
    await q.query(`DROP VIEW "statistics"."unit_counter"`);
    await q.query(`DROP TABLE "statistics"."unit_cell"`);
    await q.query(`ALTER TABLE "statistics"."unit_counter_old" RENAME TO "unit_counter"`);
    for (const c of ['unit_id', 'period_key', 'dimension', 'metric', 'value', 'version']) {
      await q.query(`ALTER TABLE "statistics"."unit_counter" ALTER COLUMN "${c}" SET NOT NULL`);
    }
    await q.query(`ALTER TABLE "statistics"."unit_counter" ADD CONSTRAINT "unit_counter_pk" PRIMARY KEY ("unit_id", "period_key", "dimension", "metric")`);
    await q.query(`ALTER TABLE "statistics"."unit_counter" SET (fillfactor = 50)`);
  }
}
